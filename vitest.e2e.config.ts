import { defineConfig } from "vitest/config";

/** Browser tests: Node drives headless Chromium against real servers (see test/e2e/support). */
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.e2e.test.ts"],
    environment: "node",
    // Picks the browser (and prints which) and kills any server a file left behind.
    globalSetup: ["test/e2e/support/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
