import { describe, expect, it } from "vitest";
import { ParentBackoff, SharedCall, type RelayClock } from "../../durable-objects/cluster/parent-backoff";

function clockAt(now: { t: number }, timers: { at: number; run: () => void }[]): RelayClock {
  return { now: () => now.t, schedule: (ms, run) => void timers.push({ at: now.t + ms, run }), random: () => 0 };
}

describe("ParentBackoff and SharedCall (a relay's calls to its parent after failures)", () => {
  it("runs a call at once while the parent answers; after a failure, once when the backoff ends, however often it was asked for", () => {
    const now = { t: 0 };
    const timers: { at: number; run: () => void }[] = [];
    const b = new ParentBackoff(clockAt(now, timers));
    let runs = 0;
    const call = () => void runs++;
    b.when(call);
    expect(runs).toBe(1);
    b.failed(); // random 0: half the 200 ms ceiling
    b.when(call);
    b.when(call);
    expect(runs).toBe(1);
    expect(b.pending).toBe(true);
    expect(timers.map((t) => t.at)).toEqual([100]);
    now.t = 100;
    timers.shift()!.run();
    expect(runs).toBe(2);
    expect(b.pending).toBe(false);
    // A second failure in a row doubles the ceiling.
    b.failed();
    expect(b.ready).toBe(false);
    now.t = 299;
    expect(b.ready).toBe(false);
    now.t = 300;
    expect(b.ready).toBe(true);
    expect(b.failures).toBe(2);
    b.succeeded();
    expect(b.failures).toBe(0);
  });

  it("shares one call among concurrent callers, and fails callers at once (no call) while the backoff runs", async () => {
    const now = { t: 0 };
    const b = new ParentBackoff(clockAt(now, []));
    const shared = new SharedCall();
    let calls = 0;
    let fail = true;
    const attach = async () => {
      calls++;
      await Promise.resolve();
      if (fail) throw new Error("root restarting");
    };
    const both = [shared.run(b, attach), shared.run(b, attach)];
    await Promise.allSettled(both);
    expect(calls).toBe(1);
    await expect(both[0]).rejects.toThrow("root restarting");
    await expect(shared.run(b, attach)).rejects.toThrow("not answering");
    expect(calls).toBe(1);
    now.t = 100;
    fail = false;
    await shared.run(b, attach);
    expect(calls).toBe(2);
    expect(b.failures).toBe(0);
  });
});
