import { defineConfig } from "../worker/app/config";

/**
 * Live components: the name a page mounts, mapped to its Durable Object binding.
 * Binding a component is one line here plus its two entries in wrangler.toml.
 */
export default defineConfig("components", (env) => ({
  allowedOrigins: env.list("LIVE_ORIGINS", env.list("CORS_ORIGINS", [])),
  /** Seconds a signed mount token stays valid. */
  tokenTtl: env.int("LIVE_TOKEN_TTL", 3600, { min: 10 }),
  registry: {
    counter: "COUNTER",
    demo: "DEMO",
    assistant: "ASSISTANT",
  } as Record<string, string>,
}));
