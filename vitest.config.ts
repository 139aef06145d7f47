import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.toml" },
      // Workers AI has no offline mode: tests bind a local stand-in instead (see test/support).
      remoteBindings: false,
      miniflare: {
        bindings: {
          APP_KEY: "test-app-key-0123456789abcdef0123456789abcdef",
          APP_ENV: "test",
          // Keep retry backoff short so tests stay quick; the behaviour is the same.
          AI_RETRY_BASE_MS: "5",
          AI_RETRY_MAX_MS: "20",
        },
        // wrangler.toml's [ai] binding would claim the name AI with the remote proxy (which throws
        // "needs to be run remotely" offline); move it aside so the wrapped stand-in owns AI.
        ai: { binding: "AI_REMOTE_UNUSED_IN_TESTS" },
        // AI becomes the stand-in's Ai.run (test/support/ai-standin.js) over RPC, not the remote proxy.
        // (The plugin's Miniflare 5 has no `wrappedBindings`; a service binding to an entrypoint
        // gives the same `env.AI.run(model, inputs, options)` surface.)
        // The real binding runs in-isolate and takes `options.signal`; across the stand-in's RPC
        // boundary the signal needs this flag (tests only: production flags stay as in wrangler.toml).
        compatibilityFlags: ["enable_abortsignal_rpc"],
        // AI_OPENAI_STANDIN: the same stand-in as an OpenAI-compatible HTTP server, for the offline provider.
        serviceBindings: { AI: { name: "ai-standin", entrypoint: "AiStandIn" }, AI_OPENAI_STANDIN: "ai-standin" },
        workers: [
          { name: "ai-standin", modules: true, scriptPath: "./test/support/ai-standin.js", compatibilityDate: "2026-11-01" },
        ],
      },
    }),
  ],
  test: {
    include: ["test/unit/**/*.test.ts", "test/integration/**/*.test.ts", "worker/**/*.test.ts", "durable-objects/**/*.test.ts"],
  },
});
