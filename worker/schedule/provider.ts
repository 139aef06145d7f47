import type { Application } from "../app/application";
import type { ServiceProvider } from "../app/service-provider";
import { token } from "../app/token";
import { LOGGER, SCHEDULED_HANDLER } from "../app/tokens";
import { drizzle } from "drizzle-orm/d1";
import { authD1 } from "../auth/database";
import { pruneAuthRows } from "../auth/prune";
import { D1SessionStore } from "../http/session/d1-store";
import { CONFIG } from "../app/tokens";
import { UNIQUE_LOCKS } from "../queue/tokens";
import { Scheduler } from "./scheduler";

export const SCHEDULER = token<Scheduler>("schedule.scheduler");

/** Binds SCHEDULER and the `scheduled` entry point; registers the framework's own housekeeping (job locks, sign-in tokens). */
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
    // Sign-in rows that can never be used again (worker/auth/prune.ts); a Worker without the sign-in D1 binding has none.
    app.resolve(SCHEDULER).cron(housekeepingCron, "auth:prune-tokens", async (ctx) => {
      const d1 = authD1({ env: ctx.env, config: ctx.resolve(CONFIG) });
      if (!d1) return;
      const pruned = await pruneAuthRows(drizzle(d1), ctx.scheduledTime);
      if (pruned.apiTokens + pruned.rememberTokens + pruned.authTokens > 0) ctx.log.info("pruned sign-in tokens", { ...pruned });
    });
    // Expired rows of the d1 session driver (reads refuse them already; this keeps the table small).
    if (app.config.session.driver === "d1") {
      app.resolve(SCHEDULER).cron(housekeepingCron, "session:prune", async (ctx) => {
        const binding = ctx.resolve(CONFIG).session.d1.binding;
        const d1 = (ctx.env as unknown as Record<string, D1Database | undefined>)[binding];
        if (!d1) throw new Error(`SESSION_DRIVER=d1 needs a D1 binding named ${binding} (SESSION_D1_BINDING).`);
        const pruned = await new D1SessionStore(d1).prune(ctx.scheduledTime);
        if (pruned > 0) ctx.log.info("pruned expired sessions", { pruned });
      });
    }
  },
};
