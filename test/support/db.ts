import { env } from "cloudflare:workers";
import { createDatabase } from "../../worker/db/database";
import { ArticleRepository } from "../fixtures/repositories";
import { UserRepository } from "../fixtures/repositories";

export function repos() {
  const db = createDatabase(env.DB);
  return { db, users: new UserRepository(db), articles: new ArticleRepository(db) };
}

let n = 0;
export function email(label = "u"): string {
  n += 1;
  return `${label}-${n}-${crypto.randomUUID().slice(0, 8)}@example.com`;
}
