import { defineFrameworkConfig as defineConfig } from "../app/config";

export default defineConfig("schedule", (env) => ({
  /**
   * The cron the framework's own housekeeping (pruning expired job locks) runs on.
   * It must be one of the `[triggers] crons` in wrangler.toml.
   */
  housekeepingCron: env.string("SCHEDULE_HOUSEKEEPING_CRON", "*/5 * * * *"),
}));
