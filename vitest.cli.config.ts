import { defineConfig } from "vitest/config";

// The `stratus` CLI runs in Node, not workerd: its tests are a separate Node project.
// test/cli/app.test.mjs packs this repo, generates an app and installs it, so it gets long limits.
export default defineConfig({
  test: {
    environment: "node",
    include: ["test/cli/**/*.test.mjs"],
    testTimeout: 30_000,
    hookTimeout: 300_000,
  },
});
