import { describe, expect, it } from "vitest";
import { simulate, type SimConfig } from "../../bench/cluster/sim/sim";

/** Small and fixed: the same harness runs a million viewers in `npm run bench -- cluster`. */
const small: SimConfig = {
  seed: 20261202,
  relays: 4,
  viewersPerRelay: 25,
  frames: 300,
  intervalMs: 100,
  hopMs: [20, 40],
  viewerMs: [10, 100],
  dropRate: 0.05,
  dupRate: 0.05,
  fetchFailRate: 0.02,
  relayRestarts: 3,
  reconnectMs: [0, 2000],
  heartbeatMs: 1000,
  relayRing: { maxFrames: 64, maxBytes: 64 * 1024 },
  rootRing: { maxFrames: 10_000, maxBytes: 16 * 1024 * 1024 },
};

describe("cluster simulation (real Sequencer and FrameRing)", () => {
  it("every viewer sees every seq exactly once, in order, through drops, duplicates, reorders and relay restarts", async () => {
    const r = await simulate(small);
    expect(r).toMatchObject({ viewers: 100, behind: 0, violations: 0, sequencerViolations: 0, fullRenders: 0 });
    // Each viewer applied every diff 1..N once: none skipped by a render, none twice.
    expect(r.applied).toBe(small.frames * r.viewers);
    expect(r.relayFetches).toBeGreaterThan(0); // drops happened and were filled
  });

  it("holds when relays restart often and their rings are tiny", async () => {
    const r = await simulate({ ...small, seed: 7, relayRestarts: 12, relayRing: { maxFrames: 4, maxBytes: 1024 }, dropRate: 0.2, dupRate: 0.2 });
    expect(r).toMatchObject({ behind: 0, violations: 0, sequencerViolations: 0, fullRenders: 0 });
    expect(r.applied).toBe(small.frames * r.viewers);
  });

  it("when the root's own ring no longer covers a resume, the viewer gets one full render, never a broken chain", async () => {
    const r = await simulate({ ...small, relayRestarts: 6, rootRing: { maxFrames: 20, maxBytes: 100_000 } });
    expect(r).toMatchObject({ behind: 0, violations: 0, sequencerViolations: 0 });
    expect(r.fullRenders).toBeGreaterThan(0);
  });

  it("is deterministic: one seed, one result", async () => {
    const config = { ...small, frames: 80, viewersPerRelay: 5 };
    expect(await simulate(config)).toEqual(await simulate(config));
  });
});
