import { CONFIG, type ServiceProvider } from "stratus";
import { DATABASE } from "stratus/db";
import { ArticleRepository } from "./repositories/articles";
import { OAuthAccountRepository } from "./repositories/oauth-accounts";
import { UserRepository } from "./repositories/users";
import { ARTICLES, OAUTH_ACCOUNTS, USERS } from "./tokens";

/** The app's repositories over the framework's DATABASE handle. */
export const repositoriesProvider: ServiceProvider = {
  name: "repositories",
  register(app) {
    app.container
      .singleton(USERS, (c) => new UserRepository(c.resolve(DATABASE), c.resolve(CONFIG).database.pageSize))
      .singleton(ARTICLES, (c) => new ArticleRepository(c.resolve(DATABASE), c.resolve(CONFIG).database.pageSize))
      .singleton(OAUTH_ACCOUNTS, (c) => new OAuthAccountRepository(c.resolve(DATABASE)));
  },
};
