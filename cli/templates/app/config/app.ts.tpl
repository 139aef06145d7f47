import { defineConfig } from "stratus";

/** The framework reads APP_KEY, APP_ENV, APP_DEBUG, CORS_ORIGINS...; the app names itself. */
export default defineConfig("app", (env, app) => ({
  ...app,
  name: env.string("APP_NAME", "{{name}}"),
}));
