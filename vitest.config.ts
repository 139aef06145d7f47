import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { readFileSync } from "node:fs";
import { defineConfig } from "vitest/config";

/** The cron triggers declared in wrangler.toml, so a test can check every scheduled task has one. */
function declaredCrons(): string[] {
  const toml = readFileSync("./wrangler.toml", "utf8");
  const list = /^\s*crons\s*=\s*\[([^\]]*)\]/m.exec(toml)?.[1] ?? "";
  return [...list.matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
}

export default defineConfig({
  plugins: [
    cloudflareTest(async () => ({
      wrangler: { configPath: "./wrangler.toml" },
      // The real Worker plus test-only components (test/fixtures/lab.ts).
      main: "./test/fixtures/worker.ts",
      // Workers AI has no offline mode: tests bind a local stand-in instead (see test/support).
      remoteBindings: false,
      miniflare: {
        bindings: {
          APP_KEY: "test-app-key-0123456789abcdef0123456789abcdef",
          APP_ENV: "test",
          // Read on the Node side (workerd has no file system); test/setup/migrations.ts applies them.
          TEST_MIGRATIONS: await readD1Migrations("./migrations"),
          TEST_WRANGLER_CRONS: declaredCrons(),
        },
        durableObjects: {
          LAB: { className: "Lab", useSQLite: true },
          SLOW_LAB: { className: "SlowLab", useSQLite: true },
          COMPACT_LAB: { className: "CompactLab", useSQLite: true },
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
        ],
      },
    })),
  ],
  test: {
    include: ["test/unit/**/*.test.ts", "test/integration/**/*.test.ts", "worker/**/*.test.ts", "durable-objects/**/*.test.ts"],
    setupFiles: ["./test/setup/migrations.ts"],
  },
});
