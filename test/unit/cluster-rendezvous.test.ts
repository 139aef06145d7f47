import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ClusterManager } from "../../durable-objects/cluster/cluster-manager";
import { rendezvous } from "../../durable-objects/cluster/rendezvous";
import { defineConfig } from "../../worker/config";

const SEED = 20261202;
const keys = (n: number, prefix = "k") => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe("rendezvous hashing", () => {
  it("is deterministic and in range for any key and shard count", () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 1, max: 300 }), (key, n) => {
        const s = rendezvous(key, n);
        expect(s).toBe(rendezvous(key, n));
        expect(Number.isInteger(s) && s >= 0 && s < n).toBe(true);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it("spreads many keys evenly: every shard within 15% of the mean", () => {
    for (const n of [2, 7, 16, 64]) {
      const counts = new Array<number>(n).fill(0);
      const total = 2000 * n;
      for (const k of keys(total, "tenant:")) counts[rendezvous(k, n)]!++;
      const mean = total / n;
      for (const c of counts) expect(Math.abs(c - mean) / mean).toBeLessThan(0.15);
    }
  });

  it("growing from N to N+1 shards moves about 1/(N+1) of keys, all to the new shard", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.string({ minLength: 1, maxLength: 6 }), (n, prefix) => {
        const total = 4000;
        let moved = 0;
        for (const k of keys(total, prefix)) {
          const before = rendezvous(k, n);
          const after = rendezvous(k, n + 1);
          if (before !== after) {
            moved++;
            expect(after).toBe(n);
          }
        }
        const expected = total / (n + 1);
        // 5 standard deviations of a binomial(total, 1/(n+1)): false alarms are out of reach.
        const sd = Math.sqrt(total * (1 / (n + 1)) * (n / (n + 1)));
        expect(Math.abs(moved - expected)).toBeLessThan(5 * sd + 1);
      }),
      { seed: SEED, numRuns: 40 },
    );
  });

  it("refuses a shard count that is not a positive integer", () => {
    expect(() => rendezvous("a", 0)).toThrow(RangeError);
    expect(() => rendezvous("a", 1.5)).toThrow(RangeError);
  });
});

describe("ClusterManager.shard", () => {
  it("reads the shard count from config/cluster, with per-component overrides", () => {
    const fromEnv = ClusterManager.fromEnv({ CLUSTER_SHARDS: "5" });
    expect(fromEnv.shardCount("board")).toBe(5);
    for (const k of keys(200)) expect(fromEnv.shard("board", k)).toBeLessThan(5);
    expect(ClusterManager.fromEnv({}).shardCount("board")).toBe(16);
    const m = new ClusterManager({ shards: 4, shardsByComponent: { chat: 32 } });
    expect(m.shardCount("chat")).toBe(32);
    expect(m.placement("chat", "room-1")).toEqual({ shard: m.shard("chat", "room-1"), name: `chat:${m.shard("chat", "room-1")}` });
  });

  it("places the same keys independently per component", () => {
    const m = new ClusterManager({ shards: 16 });
    const same = keys(1000).filter((k) => m.shard("a", k) === m.shard("b", k)).length;
    // Independent placements agree on about 1/16 of keys, not all of them.
    expect(same).toBeLessThan(120);
  });

  it("fromEnv reads the app's own config/cluster on top of the framework's, per-component counts included", () => {
    const appCluster = defineConfig("cluster", (env, cluster) => ({ ...cluster, shardsByComponent: { chat: env.int("CHAT_SHARDS", 8), board: 3 } }));
    const unrelated = defineConfig("app", (_env, app) => ({ ...app, name: "x" }));
    const m = ClusterManager.fromEnv({ CLUSTER_SHARDS: "5", CHAT_SHARDS: "12" }, [unrelated, appCluster]);
    expect([m.shardCount("chat"), m.shardCount("board"), m.shardCount("other")]).toEqual([12, 3, 5]);
    expect(m.isSharded("chat") && m.isSharded("board") && !m.isSharded("other")).toBe(true);
    expect(m.instance("chat", "room-1")).toBe(`chat:${m.shard("chat", "room-1")}`);
    expect(m.instance("other", "room-1")).toBe("room-1");
  });

  it("growing one component from N to N+1 shards moves ~1/(N+1) of its keys, all to the new shard, and nothing of another component", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64 }), fc.string({ minLength: 1, maxLength: 8 }), (n, prefix) => {
        const before = new ClusterManager({ shards: 16, shardsByComponent: { chat: n, board: 7 } });
        const after = new ClusterManager({ shards: 16, shardsByComponent: { chat: n + 1, board: 7 } });
        const total = 3000;
        let moved = 0;
        for (const k of keys(total, prefix)) {
          const a = before.placement("chat", k);
          const b = after.placement("chat", k);
          if (a.shard !== b.shard) {
            moved++;
            expect(b).toEqual({ shard: n, name: `chat:${n}` });
          }
          expect(after.instance("board", k)).toBe(before.instance("board", k));
        }
        const sd = Math.sqrt(total * (1 / (n + 1)) * (n / (n + 1)));
        expect(Math.abs(moved - total / (n + 1))).toBeLessThan(5 * sd + 1);
      }),
      { seed: SEED, numRuns: 40 },
    );
  });

  it("rejects a bad shard count from config with a clear error", () => {
    expect(() => ClusterManager.fromEnv({ CLUSTER_SHARDS: "0" })).toThrow(/CLUSTER_SHARDS/);
    expect(() => new ClusterManager({ shards: 4, shardsByComponent: { chat: 0 } })).toThrow(/chat/);
  });
});
