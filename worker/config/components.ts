import { defineFrameworkConfig as defineConfig } from "../app/config";

/**
 * Live components: the name a page mounts, mapped to its Durable Object binding.
 * The app fills `registry` in its own config/components.ts.
 */
export default defineConfig("components", (env) => ({
  allowedOrigins: env.list("LIVE_ORIGINS", env.list("CORS_ORIGINS", [])),
  /** Seconds a signed mount token stays valid. */
  tokenTtl: env.int("LIVE_TOKEN_TTL", 3600, { min: 10 }),
  /**
   * Serve mounts' server renders from the Cache API, refreshed from the root at most once per this
   * many ms per component instance (a view shows a head at most this old); 0 asks the root every time.
   */
  renderCacheMs: env.int("LIVE_RENDER_CACHE_MS", 0, { min: 0, max: 60_000 }),
  /**
   * The KV binding components with `renders: "published"` (config/cluster.ts) use: their roots
   * write their render there after commits (at most once a second) and page views read it.
   */
  renderKv: env.string("LIVE_RENDER_KV", ""),
  registry: {} as Record<string, string>,
}));
