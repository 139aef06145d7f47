import { defineConfig } from "vitest/config";

// The project's Node-side scripts (deploy, dev, bench helpers): plain Node, no workerd.
export default defineConfig({
  test: {
    include: ["test/scripts/**/*.test.mjs"],
    environment: "node",
  },
});
