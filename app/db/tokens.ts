import { token } from "stratus";
import type { ArticleRepository } from "./repositories/articles";
import type { OAuthAccountRepository } from "./repositories/oauth-accounts";
import type { UserRepository } from "./repositories/users";

export const USERS = token<UserRepository>("users");
export const ARTICLES = token<ArticleRepository>("articles");
export const OAUTH_ACCOUNTS = token<OAuthAccountRepository>("oauth-accounts");
