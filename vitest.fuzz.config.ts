import { defineConfig } from "vitest/config";

/**
 * `npm run fuzz`: the templating property test in plain Node (it needs no bindings), where
 * FUZZ_RUNS and FUZZ_SEED reach it; `npm test` runs the same file in workerd with the fixed defaults.
 */
export default defineConfig({
  test: {
    include: ["test/unit/templating-property.test.ts"],
    environment: "node",
    testTimeout: 0,
  },
});
