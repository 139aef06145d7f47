import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { readFileSync } from "node:fs";
import { defineConfig, type TestProjectInlineConfiguration } from "vitest/config";

/** The cron triggers declared in a wrangler.toml, so a test can check every scheduled task has one. */
function declaredCrons(configPath: string): string[] {
  const toml = readFileSync(configPath, "utf8");
  const list = /^\s*crons\s*=\s*\[([^\]]*)\]/m.exec(toml)?.[1] ?? "";
  return [...list.matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
}

// wrangler.toml requires APP_KEY; the plugin reads required secrets from process.env (and warns
// once per test file without it). The same value is bound below.
const TEST_APP_KEY = "test-app-key-0123456789abcdef0123456789abcdef";
process.env.APP_KEY = TEST_APP_KEY;
// wrangler's info lines ("Using secrets defined in process.env") once per file; warnings still show.
process.env.WRANGLER_LOG ??= "warn";

/**
 * One workerd project per Worker: the framework's tests run against a fixture
 * Worker with no app code (test/fixtures), the reference app's tests against
 * the app itself. Both bind the same local stand-ins for what has no offline mode.
 */
function workerProject(name: string, opts: { configPath: string; main?: string; migrations: string; include: string[]; vars?: Record<string, string> }): TestProjectInlineConfiguration {
  return {
    plugins: [
      cloudflareTest(async () => ({
        wrangler: { configPath: opts.configPath },
        ...(opts.main ? { main: opts.main } : {}),
        // Workers AI has no offline mode: tests bind a local stand-in instead (see test/support).
        remoteBindings: false,
        miniflare: {
          bindings: {
            APP_KEY: TEST_APP_KEY,
            APP_ENV: "test",
            // Read on the Node side (workerd has no file system); test/setup/migrations.ts applies them.
            TEST_MIGRATIONS: await readD1Migrations(opts.migrations),
            TEST_WRANGLER_CRONS: declaredCrons(opts.configPath),
            // Keep AI retry backoff short so tests stay quick; the behaviour is the same.
            AI_RETRY_BASE_MS: "5",
            AI_RETRY_MAX_MS: "20",
            ...opts.vars,
          },
          // wrangler.toml's [ai] binding would claim the name AI with the remote proxy (which throws
          // "needs to be run remotely" offline); move it aside so the stand-in owns AI.
          ai: { binding: "AI_REMOTE_UNUSED_IN_TESTS" },
          // The real binding runs in-isolate and takes `options.signal`; across the stand-in's RPC
          // boundary the signal needs this flag (tests only: production flags stay as in wrangler.toml).
          compatibilityFlags: ["enable_abortsignal_rpc"],
          // AI is the stand-in's Ai.run (test/support/ai-standin.js) over RPC.
          // AI_OPENAI_STANDIN: the same stand-in as an OpenAI-compatible HTTP server, for the offline provider.
          serviceBindings: { AI: { name: "ai-standin", entrypoint: "AiStandIn" }, AI_OPENAI_STANDIN: "ai-standin" },
          durableObjects: {
            // A Durable Object that receives broadcasts, in an auxiliary worker (test/fixtures/live-fixture.js).
            TEST_LIVE: { className: "LiveFixture", scriptName: "live-fixture" },
          },
          workers: [
            {
              name: "live-fixture",
              modules: true,
              scriptPath: "./test/fixtures/live-fixture.js",
              compatibilityDate: "2026-11-01",
              durableObjects: { LIVE: "LiveFixture" },
            },
            { name: "ai-standin", modules: true, scriptPath: "./test/support/ai-standin.js", compatibilityDate: "2026-11-01" },
          ],
        },
      })),
    ],
    test: {
      name,
      include: opts.include,
      // Reuse one workerd per project across files (the plugin still gives each file fresh storage):
      // the full run drops from ~194 s to ~60 s on a 2-core machine. Module state is shared, so tests
      // keep their names apart (job prefixes, random keys) rather than relying on a fresh isolate.
      isolate: false,
      setupFiles: ["./test/setup/migrations.ts"],
      // A cold workerd start on a 2-core CI machine can take seconds; no assertion depends on these limits.
      testTimeout: 20_000,
      hookTimeout: 30_000,
    },
  };
}

export default defineConfig({
  test: {
    // Logs (access lines, job warnings) show for failing tests only.
    silent: "passed-only",
    projects: [
      workerProject("framework", {
        configPath: "./test/fixtures/wrangler.toml",
        migrations: "./test/fixtures/migrations",
        include: ["test/unit/**/*.test.ts", "test/integration/**/*.test.ts", "worker/**/*.test.ts", "durable-objects/**/*.test.ts"],
      }),
      // The live suites again with every socket through relays: the browser protocol must not change.
      workerProject("framework-relays", {
        configPath: "./test/fixtures/wrangler.toml",
        migrations: "./test/fixtures/migrations",
        include: ["test/integration/live-*.test.ts", "test/integration/component-*.test.ts"],
        vars: { CLUSTER_FORCE_RELAYS: "true" },
      }),
      workerProject("app", {
        configPath: "./wrangler.toml",
        migrations: "./migrations",
        include: ["test/app/**/*.test.ts"],
      }),
    ],
  },
});
