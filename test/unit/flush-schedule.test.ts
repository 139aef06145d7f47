import { describe, expect, it } from "vitest";
import { FlushSchedule } from "../../durable-objects/realtime/flush-schedule";

/** A schedule whose flush counts itself, as the dispatcher's does (a flush starts by clearing the schedule). */
function counted(flushMs = 0): { schedule: FlushSchedule; flushes: () => number } {
  let n = 0;
  const schedule: FlushSchedule = new FlushSchedule(flushMs, () => {
    schedule.started();
    n++;
  });
  return { schedule, flushes: () => n };
}

/** Just after a flush that acked socket actions. */
function afterAckedFlush(): ReturnType<typeof counted> {
  const c = counted();
  c.schedule.ended(true, false);
  return c;
}

const microtasks = () => new Promise<void>((r) => queueMicrotask(r));
const nextTurn = () => new Promise<void>((r) => setTimeout(r, 5));
/** How many flushes ran once `wait` is over. */
const after = async (wait: () => Promise<void>, flushes: () => number) => (await wait(), flushes());

describe("FlushSchedule", () => {
  it("flushes the first update after a quiet period on a microtask", async () => {
    const { schedule, flushes } = counted();
    schedule.notify(true);
    schedule.notify(true);
    expect(await after(microtasks, flushes)).toBe(1);
  });

  it("lets socket actions behind a flush that acked wait for the next turn, then flushes them once", async () => {
    const { schedule, flushes } = afterAckedFlush();
    for (let i = 0; i < 10; i++) schedule.notify(true);
    expect(await after(microtasks, flushes)).toBe(0);
    expect(await after(nextTurn, flushes)).toBe(1);
  });

  it("does not hold an update that may not wait (an RPC commit), and takes the waiting ones along", async () => {
    const { schedule, flushes } = afterAckedFlush();
    schedule.notify(false);
    expect(await after(microtasks, flushes)).toBe(1);
    schedule.ended(true, false);
    schedule.notify(true);
    schedule.notify(false);
    expect(await after(microtasks, flushes)).toBe(2);
    expect(await after(nextTurn, flushes)).toBe(2);
  });

  it("sends a long pipeline in parts of at most 64 updates", async () => {
    const { schedule, flushes } = afterAckedFlush();
    for (let i = 0; i < 63; i++) schedule.notify(true);
    expect(await after(microtasks, flushes)).toBe(0);
    schedule.notify(true);
    expect(await after(microtasks, flushes)).toBe(1);
  });

  it("holds every update behind a long fan-out, and nothing once the turn ended", async () => {
    const { schedule, flushes } = counted();
    schedule.ended(false, true);
    schedule.notify(false);
    expect(await after(microtasks, flushes)).toBe(0);
    expect(await after(nextTurn, flushes)).toBe(1);
    schedule.notify(true);
    expect(await after(microtasks, flushes)).toBe(2);
  });

  it("keeps updates inside a flush window for its end", async () => {
    const { schedule, flushes } = counted(50);
    schedule.opened();
    schedule.notify(false);
    await microtasks();
    expect(await after(nextTurn, flushes)).toBe(0);
    await new Promise((r) => setTimeout(r, 80));
    expect(flushes()).toBe(1);
  });
});
