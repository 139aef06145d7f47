import { defineFrameworkConfig as defineConfig } from "../app/config";

/**
 * Live components: the name a page mounts, mapped to its Durable Object binding.
 * The app fills `registry` in its own config/components.ts.
 */
export default defineConfig("components", (env) => ({
  allowedOrigins: env.list("LIVE_ORIGINS", env.list("CORS_ORIGINS", [])),
  /** Seconds a signed mount token stays valid. */
  tokenTtl: env.int("LIVE_TOKEN_TTL", 3600, { min: 10 }),
  registry: {} as Record<string, string>,
}));
