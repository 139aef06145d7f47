import { token } from "../app/token";
import type { Database } from "./database";
import type { ArticleRepository } from "./repositories/articles";
import type { UserRepository } from "./repositories/users";

/** The isolate's typed drizzle handle on the `DB` binding. */
export const DATABASE = token<Database>("database");
export const USERS = token<UserRepository>("users");
export const ARTICLES = token<ArticleRepository>("articles");
