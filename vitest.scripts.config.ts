import { defineConfig } from "vitest/config";

// Plain Node, no workerd: the project's scripts (deploy, dev, bench helpers) and checks that read the
// tree itself (the framework/app boundary).
export default defineConfig({
  test: {
    include: ["test/scripts/**/*.test.mjs", "test/node/**/*.test.ts"],
    environment: "node",
  },
});
