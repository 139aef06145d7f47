import type { Application } from "../app/application";
import type { ServiceProvider } from "../app/service-provider";
import { token } from "../app/token";
import { LOGGER, SCHEDULED_HANDLER } from "../app/tokens";
import { UNIQUE_LOCKS } from "../queue/tokens";
import { Scheduler } from "./scheduler";

export const SCHEDULER = token<Scheduler>("schedule.scheduler");

/** Binds SCHEDULER and the `scheduled` entry point; registers the framework's own housekeeping. */
export const scheduleProvider: ServiceProvider = {
  name: "schedule",
  register(app: Application) {
    app.container.singleton(SCHEDULER, (c) => new Scheduler(c, c.resolve(LOGGER).child({ component: "schedule" })));
    app.container.singleton(SCHEDULED_HANDLER, (c) => c.resolve(SCHEDULER));
  },
  boot(app: Application) {
    const { housekeepingCron } = app.config.schedule;
    if (app.container.has(UNIQUE_LOCKS)) {
      app.resolve(SCHEDULER).cron(housekeepingCron, "queue:prune-unique-locks", async (ctx) => {
        const pruned = await ctx.resolve(UNIQUE_LOCKS).prune();
        if (pruned > 0) ctx.log.info("pruned expired job locks", { pruned });
      });
    }
  },
};
