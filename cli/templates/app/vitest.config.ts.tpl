import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Tests run inside workerd against local D1, KV, Queues and Durable Objects from wrangler.toml.
export default defineConfig({
  plugins: [
    cloudflareTest(async () => ({
      wrangler: { configPath: "./wrangler.toml" },
      remoteBindings: false,
      miniflare: {
        bindings: {
          APP_KEY: "test-app-key-0123456789abcdef0123456789abcdef",
          APP_ENV: "test",
          // Read here in Node (workerd has no file system); test/setup/migrations.ts applies them.
          TEST_MIGRATIONS: await readD1Migrations("./migrations"),
        },
      },
    })),
  ],
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["./test/setup/migrations.ts"],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
