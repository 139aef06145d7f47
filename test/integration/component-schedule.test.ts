import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { Scheduler } from "../../durable-objects/scheduling/scheduler";
import { flaky, type Lab } from "../fixtures/lab";
import { connectDirect, hello, labs } from "../support/live";

describe("scheduling on the single alarm", () => {
  it("multiplexes tasks on one alarm, earliest first, and commits what onAlarm returns", async () => {
    const stub = labs.LAB.getByName("sched-1");
    await stub.dispatch("later", { ms: 60_000, name: "far" });
    await stub.dispatch("later", { ms: 10_000, name: "now" });
    await stub.dispatch("later", { ms: 30_000, name: "mid" });
    const { tasks, alarm } = await runInDurableObject(stub, async (i: Lab, state) => ({ tasks: i.scheduledTasks(), alarm: await state.storage.getAlarm() }));
    expect(tasks.map((t) => t.name)).toEqual(["now", "mid", "far"]);
    expect(alarm).toBe(tasks[0]!.at);
    // Bring "now" due and fire the alarm.
    await runInDurableObject(stub, (_i, state) => void state.storage.sql.exec("UPDATE _stratus_schedule SET at = 0 WHERE name = 'now'"));
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const after = await runInDurableObject(stub, async (i: Lab, state) => ({ tasks: i.scheduledTasks(), alarm: await state.storage.getAlarm() }));
    expect(after.tasks.map((t) => t.name)).toEqual(["mid", "far"]);
    expect(after.alarm).toBe(after.tasks[0]!.at);
    expect((await stub.stateAt(await stub.stats().then((s) => s.seq))).state.ticks).toBe(1);
  });

  it("retries a failing task with backoff until it succeeds (at least once)", async () => {
    flaky.failures = 0;
    flaky.failUntil = 2;
    const stub = labs.LAB.getByName("sched-2");
    await stub.dispatch("later", { ms: 0, name: "flaky" });
    await runDurableObjectAlarm(stub);
    let tasks = await runInDurableObject(stub, (i: Lab) => i.scheduledTasks());
    expect(tasks).toMatchObject([{ name: "flaky", attempts: 1 }]);
    expect(tasks[0]!.at).toBeGreaterThan(Date.now());
    // Make it due now and run again: fails once more, then succeeds.
    for (let i = 0; i < 2; i++) {
      await runInDurableObject(stub, (_i, state) => void state.storage.sql.exec("UPDATE _stratus_schedule SET at = 0"));
      await runDurableObjectAlarm(stub);
    }
    tasks = await runInDurableObject(stub, (i: Lab) => i.scheduledTasks());
    expect(tasks).toEqual([]);
    expect((await stub.stateAt((await stub.stats()).seq)).state.ticks).toBe(1);
  });
});

describe("Scheduler.run", () => {
  it("skips a task an earlier task of the same run cancelled or rescheduled for later", async () => {
    const stub = labs.LAB.getByName("sched-cancel");
    const ran = await runInDurableObject(stub, async (_i, state) => {
      const s = new Scheduler(state.storage);
      const now = Date.now();
      await s.schedule(now - 3, "first", null, "t1");
      await s.schedule(now - 2, "cancelled", null, "t2");
      await s.schedule(now - 1, "moved", null, "t3");
      const names: string[] = [];
      const report = await s.run(now, async (task) => {
        names.push(task.name);
        if (task.id === "t1") {
          await s.cancel("t2");
          await s.schedule(now + 60_000, "moved", null, "t3");
        }
      }, () => {});
      return { names, report, left: s.list().map((t) => ({ id: t.id, at: t.at - now })) };
    });
    expect(ran.names).toEqual(["first"]);
    expect(ran.report).toEqual({ ran: 1, retried: 0, dropped: 0 });
    expect(ran.left).toEqual([{ id: "t3", at: 60_000 }]);
  });
});

describe("broadcasts from the Worker", () => {
  it("receiveBroadcast commits onEvent's events once per event id and reaches sockets", async () => {
    const stub = labs.LAB.getByName("bcast-1");
    const c = await connectDirect(labs.LAB, "bcast-1");
    await hello(c);
    const event = { id: "evt-1", name: "bump", payload: { by: 7 }, at: Date.now() };
    expect(await stub.receiveBroadcast(event)).toEqual({ ok: true, seq: 1, duplicate: false });
    expect(await stub.receiveBroadcast(event)).toEqual({ ok: true, seq: 1, duplicate: true });
    const [x, y] = await Promise.all([stub.receiveBroadcast({ ...event, id: "evt-2" }), stub.receiveBroadcast({ ...event, id: "evt-2" })]);
    expect([x, y].map((r) => r.ok && r.seq)).toEqual([2, 2]);
    // Events the component ignores are still recorded once.
    expect(await stub.receiveBroadcast({ id: "evt-3", name: "other", payload: null, at: Date.now() })).toEqual({ ok: true, seq: 2, duplicate: false });
    await c.until((f) => f.of("diff").at(-1)?.seq === 2);
    expect((await stub.stateAt(2)).state.total).toBe(14);
    c.close();
  });
});
