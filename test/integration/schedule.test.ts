import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { Application } from "../../worker/app/application";
import worker from "../fixtures/worker";
import { UNIQUE_LOCKS } from "../../worker/queue/tokens";
import { SCHEDULER } from "../../worker/schedule/provider";
import { registerJobs } from "../support/jobs";

const ran: string[] = [];
let app: Application;

beforeAll(async () => {
  app = await registerJobs({});
  const scheduler = app.resolve(SCHEDULER);
  scheduler.cron("*/5 * * * *", "test:first", (ctx) => void ran.push(`first@${ctx.cron}@${ctx.scheduledTime}`));
  scheduler.cron("*/5 * * * *", "test:broken", () => {
    throw new Error("task exploded");
  });
  scheduler.cron("*/5   *  * * *", "test:async", async (ctx) => {
    await new Promise((r) => setTimeout(r, 10));
    ran.push(`async:${typeof ctx.resolve(UNIQUE_LOCKS).prune}`);
  });
});

async function fire(cron: string, scheduledTime = Date.UTC(2026, 0, 1, 12, 5)) {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ cron, scheduledTime }), env, ctx);
  await waitOnExecutionContext(ctx);
}

describe("scheduled tasks", () => {
  it("runs every task of the fired cron through the Worker's scheduled entry point; one that throws does not stop the others", async () => {
    ran.length = 0;
    await fire("*/5 * * * *");
    expect(ran.sort()).toEqual([`first@*/5 * * * *@${Date.UTC(2026, 0, 1, 12, 5)}`, "async:function"].sort());
  });

  it("reports each task's outcome", async () => {
    const runs = await app.resolve(SCHEDULER).run({ cron: "*/5 * * * *", scheduledTime: Date.now() }, env, createExecutionContext());
    const byName = Object.fromEntries(runs.map((r) => [r.name, r]));
    expect(byName["test:first"]!.ok).toBe(true);
    expect(byName["test:broken"]!.ok).toBe(false);
    expect((byName["test:broken"]!.error as Error).message).toBe("task exploded");
    expect(byName["queue:prune-unique-locks"]!.ok).toBe(true);
    expect(byName["auth:prune-tokens"]!.ok).toBe(true);
  });

  it("runs nothing for a cron with no tasks", async () => {
    ran.length = 0;
    const runs = await app.resolve(SCHEDULER).run({ cron: "0 3 * * *", scheduledTime: Date.now() }, env, createExecutionContext());
    expect(runs).toEqual([]);
    expect(ran).toEqual([]);
  });

  it("prunes expired job locks on the housekeeping cron", async () => {
    const locks = app.resolve(UNIQUE_LOCKS);
    await locks.claim("schedule:old", 1, 1, Date.now() - 10_000);
    await locks.claim("schedule:fresh", 600, 30);
    await fire("*/5 * * * *");
    expect(await locks.state("schedule:old")).toBeUndefined();
    expect(await locks.state("schedule:fresh")).toBe("running");
  });

  it("refuses a malformed cron or a duplicate task name at registration", () => {
    const scheduler = app.resolve(SCHEDULER);
    expect(() => scheduler.cron("* * * *", "bad", () => {})).toThrow(/must have 5 fields/);
    expect(() => scheduler.cron("61 * * * *", "bad", () => {})).toThrow(/invalid minute field "61"/);
    expect(() => scheduler.cron("*/5 * * * *", "test:first", () => {})).toThrow(/already exists/);
  });

  it("has every registered task's cron declared in wrangler.toml", () => {
    expect(env.TEST_WRANGLER_CRONS.length).toBeGreaterThan(0);
    expect(app.resolve(SCHEDULER).undeclared(env.TEST_WRANGLER_CRONS)).toEqual([]);
    expect(app.resolve(SCHEDULER).undeclared(["0 * * * *"])).toEqual(["*/5 * * * *"]);
  });
});
