import { defineFrameworkConfig as defineConfig } from "../app/config";

export type CacheDriver = "memory" | "kv" | "cache-api" | "tiered";
const DRIVERS: readonly CacheDriver[] = ["memory", "kv", "cache-api", "tiered"];

export default defineConfig("cache", (env) => {
  const driver = env.oneOf("CACHE_DRIVER", DRIVERS, "tiered");
  return {
    /** The store `CACHE` resolves to; the others stay reachable through the manager. */
    driver,
    prefix: env.string("CACHE_PREFIX", "stratus:"),
    /** Default TTL in seconds. */
    ttl: env.int("CACHE_TTL", 300, { min: 1 }),
    memory: {
      maxEntries: env.int("CACHE_MEMORY_MAX_ENTRIES", 1000, { min: 1 }),
      maxBytes: env.int("CACHE_MEMORY_MAX_BYTES", 8 * 1024 * 1024, { min: 1024 }),
    },
    kv: {
      /** KV namespace binding. */
      binding: env.string("CACHE_KV_BINDING", "CACHE"),
    },
    tiered: {
      /**
       * Seconds a copy may sit in an isolate's memory before it is re-read
       * from KV: the extra time (beyond KV's ~60 s propagation) another
       * isolate may serve a value after a write, forget or tag flush elsewhere.
       */
      localTtl: env.int("CACHE_LOCAL_TTL", 10, { min: 1, max: 3600 }),
    },
  };
});
