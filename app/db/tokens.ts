import { token } from "stratus";
import type { ArticleRepository } from "./repositories/articles";
import type { UserRepository } from "./repositories/users";

export const USERS = token<UserRepository>("users");
export const ARTICLES = token<ArticleRepository>("articles");
