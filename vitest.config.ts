import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Read on the Node side (workerd has no file system), handed to tests as a binding, and applied by
// test/setup/migrations.ts before each test file: every file starts from a migrated database.
const migrations = await readD1Migrations("./migrations");

export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.toml" },
      // The real Worker plus test-only components (test/fixtures/lab.ts).
      main: "./test/fixtures/worker.ts",
      // Workers AI has no offline mode: tests bind a local stand-in instead (see test/support).
      remoteBindings: false,
      miniflare: {
        bindings: {
          APP_KEY: "test-app-key-0123456789abcdef0123456789abcdef",
          APP_ENV: "test",
          TEST_MIGRATIONS: migrations,
        },
        durableObjects: {
          LAB: { className: "Lab", useSQLite: true },
          SLOW_LAB: { className: "SlowLab", useSQLite: true },
          COMPACT_LAB: { className: "CompactLab", useSQLite: true },
        },
      },
    }),
  ],
  test: {
    include: ["test/unit/**/*.test.ts", "test/integration/**/*.test.ts", "worker/**/*.test.ts", "durable-objects/**/*.test.ts"],
    setupFiles: ["./test/setup/migrations.ts"],
  },
});
