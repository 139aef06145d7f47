import { defineConfig } from "../worker/app/config";

export default defineConfig("cache", (env) => ({
  driver: env.string("CACHE_DRIVER", "tiered") as "memory" | "kv" | "cache-api" | "tiered",
  prefix: env.string("CACHE_PREFIX", "stratus:"),
  /** Default TTL in seconds. */
  ttl: env.int("CACHE_TTL", 300, { min: 1 }),
  memory: {
    maxEntries: env.int("CACHE_MEMORY_MAX_ENTRIES", 1000, { min: 1 }),
    maxBytes: env.int("CACHE_MEMORY_MAX_BYTES", 8 * 1024 * 1024, { min: 1024 }),
  },
}));
