import type { ServiceProvider } from "../app/service-provider";
import { CONFIG, ENV, EXECUTION_CONTEXT, LOGGER } from "../app/tokens";
import { CacheManager } from "./manager";
import { CACHE, CACHE_MANAGER } from "./tokens";

export const cacheProvider: ServiceProvider = {
  name: "cache",
  register(app) {
    app.container
      .singleton(CACHE_MANAGER, (c) =>
        new CacheManager({ config: c.resolve(CONFIG).cache, env: c.resolve(ENV) as unknown as Record<string, unknown>, log: c.resolve(LOGGER) }),
      )
      .scoped(CACHE, (c) => c.resolve(CACHE_MANAGER).store(undefined, c.resolve(EXECUTION_CONTEXT)));
  },
};
