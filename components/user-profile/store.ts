import { and, desc, eq, isNotNull } from "drizzle-orm";
import { createDatabase } from "stratus/db";
import { UserRepository } from "../../app/db/repositories/users";
import { articles, type User } from "../../app/db/schema";
import type { ArticleItem } from "./profile";

/** Articles shown on a profile. */
export const RECENT_ARTICLES = 5;

/**
 * The UserProfile component's reads and writes of D1, the source of truth:
 * the object never keeps a profile D1 does not hold.
 */
export class ProfileStore {
  readonly #db;
  readonly #users;

  constructor(d1: D1Database) {
    this.#db = createDatabase(d1);
    this.#users = new UserRepository(this.#db);
  }

  user(id: string): Promise<User | undefined> {
    return this.#users.find(id);
  }

  async recentArticles(authorId: string): Promise<ArticleItem[]> {
    const rows = await this.#db
      .select({ id: articles.id, title: articles.title, publishedAt: articles.publishedAt })
      .from(articles)
      .where(and(eq(articles.authorId, authorId), isNotNull(articles.publishedAt)))
      .orderBy(desc(articles.publishedAt), desc(articles.id))
      .limit(RECENT_ARTICLES);
    return rows.map((r) => ({ id: r.id, title: r.title, publishedAt: r.publishedAt!.getTime() }));
  }

  /** Writes the edited fields and returns the row as D1 now holds it (`updated_at` moves). */
  save(id: string, changes: Pick<User, "name" | "bio" | "links"> & Partial<Pick<User, "avatarKey" | "avatarUrl">>): Promise<User> {
    return this.#users.update(id, changes);
  }
}
