import { describe, expect, it } from "vitest";
import { simulate, type SimConfig } from "../../bench/cluster/sim/sim";

/** Small and fixed: the same harness runs a million viewers in `npm run bench -- cluster`. */
const small: SimConfig = {
  seed: 20261203,
  relays: 8,
  viewersPerRelay: 250,
  frames: 300,
  intervalMs: 100,
  frameBytes: 20,
  hopMs: [20, 40],
  viewerMs: [10, 100],
  dropRate: 0.02,
  dupRate: 0.02,
  fetchFailRate: 0.01,
  relayEvictions: 4,
  relayCrashes: 2,
  rootEvictions: 1,
  rootDownMs: 1000,
  reconnectMs: [0, 2000],
  stormAt: 8_000,
  stormMs: 15_000,
  heartbeatMs: 5000,
  hubs: 0,
  hubEvictions: 2,
  relayRing: { maxFrames: 512, maxBytes: 8 * 1024 * 1024 },
  rootRing: { maxFrames: 320, maxBytes: 64 * 1024 * 1024 },
};

// Each run is a few seconds of CPU in workerd; the shared machine can stretch that several times.
describe("cluster simulation (real RelayCore, Sequencer, FrameRing and RelayLinks)", { timeout: 180_000 }, () => {
  it("2,000 viewers see every seq exactly once, in order, through lost and doubled pushes, failing calls, relay and root evictions", async () => {
    const r = await simulate({ ...small, relayCrashes: 0, stormAt: -1 });
    expect(r).toMatchObject({ viewers: 2000, behind: 0, violations: 0, historyOverflows: 0, fullRenders: 0, skippedByRenders: 0, exactlyOnce: true });
    expect(r.applied).toBe(r.expected);
    expect(r.relayRangeFetches).toBeGreaterThan(0); // drops happened and were filled
    expect(r.errors.pushesLost).toBeGreaterThan(0);
    expect(r.relayWakes).toBeGreaterThan(small.relays); // evicted relays woke at their persisted head
  });

  it("through relay crashes and a deploy storm (every object restarts, every viewer resumes on a random relay), exactly once, in order, while calls to the root succeed", async () => {
    // Pushes are still lost and doubled.
    const r = await simulate({ ...small, rootEvictions: 0, rootDownMs: 0, fetchFailRate: 0 });
    expect(r).toMatchObject({ viewers: 2000, behind: 0, violations: 0, historyOverflows: 0, fullRenders: 0, exactlyOnce: true });
    expect(r.applied).toBe(r.expected);
  });

  it("when calls fail and the root is down for a second in the storm, still exactly once, as diffs: failed resume fetches are retried after a backoff, not answered with renders", async () => {
    const r = await simulate(small);
    expect(r).toMatchObject({ viewers: 2000, behind: 0, violations: 0, historyOverflows: 0, fullRenders: 0, skippedByRenders: 0, exactlyOnce: true });
    expect(r.applied).toBe(r.expected);
    expect(r.errors.rootCallsFailed).toBeGreaterThan(0);
    // The storm's root calls: every resumer of a relay waiting at once shares one fetch (README "Measured").
    expect(r.rootCalls.stormByKind.render).toBe(0);
    expect(r.rootCalls.storm.perRelayMean).toBeLessThanOrEqual(1);
  });

  it("with 2 hubs between root and relays (hub evictions too, and a restart in the storm), exactly once, in order, with the root pushing to the hubs only", async () => {
    const r = await simulate({ ...small, hubs: 2, rootEvictions: 0, rootDownMs: 0, fetchFailRate: 0 });
    expect(r).toMatchObject({ viewers: 2000, behind: 0, violations: 0, historyOverflows: 0, fullRenders: 0, exactlyOnce: true });
    expect(r.applied).toBe(r.expected);
    // One push per hub per frame (10 frames/s), the relays' pushes come from the hubs.
    expect(r.rootCalls.pushesPerSecond.max).toBeLessThanOrEqual(2 * 10);
    expect(r.hubs.pushesPerSecond.mean).toBeGreaterThan(small.relays * 10 * 0.9);
    expect(r.hubs.answered).toBeGreaterThan(0);
    expect(r.hubs.wakes).toBeGreaterThan(2); // evicted and restarted hubs woke at their persisted heads
  });

  it("is deterministic: one seed, one result", async () => {
    const config = { ...small, frames: 120, viewersPerRelay: 20, stormAt: 4000, stormMs: 4000 };
    expect(await simulate(config)).toEqual(await simulate(config));
  });
});
