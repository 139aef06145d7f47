import type { ServiceProvider } from "../app/service-provider";
import { CONFIG, ENV } from "../app/tokens";
import { createDatabase } from "./database";
import { ArticleRepository } from "./repositories/articles";
import { UserRepository } from "./repositories/users";
import { ARTICLES, DATABASE, USERS } from "./tokens";

/** Binds DATABASE (one drizzle handle per isolate over the configured D1 binding) and the repositories. */
export const databaseProvider: ServiceProvider = {
  name: "database",
  register(app) {
    app.container
      .singleton(DATABASE, (c) => {
        const env = c.resolve(ENV) as unknown as Record<string, D1Database | undefined>;
        const binding = c.resolve(CONFIG).database.binding;
        const d1 = env[binding];
        if (!d1) throw new Error(`Missing D1 binding ${binding}: declare it in wrangler.toml.`);
        return createDatabase(d1);
      })
      .singleton(USERS, (c) => new UserRepository(c.resolve(DATABASE), c.resolve(CONFIG).database.pageSize))
      .singleton(ARTICLES, (c) => new ArticleRepository(c.resolve(DATABASE), c.resolve(CONFIG).database.pageSize));
  },
};
