import { defineConfig } from "stratus";

/**
 * Live components: the name a page mounts, mapped to its Durable Object binding.
 * `npx stratus make:component Name` adds an entry here (and the binding, migration and export).
 */
export default defineConfig("components", (_env, components) => ({
  ...components,
  registry: {
    counter: "COUNTER",
  },
}));
