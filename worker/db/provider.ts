import type { ServiceProvider } from "../app/service-provider";
import { CONFIG, ENV } from "../app/tokens";
import { mapErrors } from "../http/error-mapping";
import { createDatabase } from "./database";
import { dataErrorToHttp } from "./problems";
import { DATABASE } from "./tokens";

/** Binds DATABASE (one drizzle handle per isolate over the configured D1 binding); data errors answer as problems. */
export const databaseProvider: ServiceProvider = {
  name: "database",
  register(app) {
    mapErrors(dataErrorToHttp);
    app.container.singleton(DATABASE, (c) => {
      const env = c.resolve(ENV) as unknown as Record<string, D1Database | undefined>;
      const binding = c.resolve(CONFIG).database.binding;
      const d1 = env[binding];
      if (!d1) throw new Error(`Missing D1 binding ${binding}: declare it in wrangler.toml.`);
      return createDatabase(d1);
    });
  },
};
