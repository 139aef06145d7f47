import { defineConfig } from "stratus";

/**
 * Live components: the name a page mounts, mapped to its Durable Object binding.
 * Binding a component is one line here plus its two entries in wrangler.toml
 * (`npx stratus make:component Name` writes all of them).
 */
export default defineConfig("components", (_env, components) => ({
  ...components,
  registry: {
    counter: "COUNTER",
    demo: "DEMO",
    assistant: "ASSISTANT",
    weather: "WEATHER",
    notepad: "NOTEPAD",
    profiles: "PROFILES",
    news: "NEWS",
    "user-profile": "USER_PROFILE",
  },
}));
