import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { RelayPresenceReport } from "../../durable-objects/cluster/contracts";
import { parsePresenceReport, RelayPresenceSet } from "../../durable-objects/cluster/presence-aggregate";
import { PresenceReporter } from "../../durable-objects/cluster/presence-reporter";

const SEED = 20261203;

function reporter(opts: { intervalMs?: number; keepaliveMs?: number; maxSamples?: number; count?: number; fail?: () => boolean } = {}) {
  let now = 1_000;
  const sent: RelayPresenceReport[] = [];
  const r = new PresenceReporter({
    relay: "relay-a",
    now: () => now,
    send: (report) => {
      if (opts.fail?.()) return Promise.reject(new Error("root unreachable"));
      sent.push(report);
    },
    ...opts,
  });
  return { r, sent, advance: (ms: number) => (now += ms), now: () => now };
}

describe("PresenceReporter", () => {
  it("reports at once when created, then batches a burst of joins into one report per interval", async () => {
    const { r, sent, advance } = reporter({ count: 3 });
    expect(await r.poll()).toBe(true);
    expect(sent[0]).toMatchObject({ relay: "relay-a", count: 3, joins: [], leaves: [] });
    for (let i = 0; i < 50; i++) r.join({ id: `v${i}` });
    advance(1000);
    expect(await r.poll()).toBe(false);
    advance(500);
    expect(await r.poll()).toBe(true);
    expect(sent).toHaveLength(2);
    expect(sent[1]!.count).toBe(53);
    expect(sent[1]!.joins).toHaveLength(32);
    expect(sent[1]!.version).toBeGreaterThan(sent[0]!.version);
  });

  it("never samples a viewer that came and went inside one window, and samples real leaves", async () => {
    const { r, sent, advance } = reporter();
    r.join({ id: "stays", user: "ada" });
    await r.poll();
    r.join({ id: "flicker" });
    r.leave("flicker");
    r.leave("stays");
    advance(1500);
    await r.poll();
    expect(sent[1]).toMatchObject({ count: 0, joins: [], leaves: ["stays"] });
  });

  it("sends a keepalive when nothing changes, and says when to poll next", async () => {
    const { r, sent, advance, now } = reporter({ keepaliveMs: 10_000 });
    await r.poll();
    expect(r.nextAt()).toBe(now() + 10_000);
    advance(9_999);
    expect(await r.poll()).toBe(false);
    advance(1);
    expect(await r.poll()).toBe(true);
    expect(sent.map((s) => s.count)).toEqual([0, 0]);
    r.join({ id: "x" });
    expect(r.nextAt()).toBe(now() + 1500);
  });

  it("keeps the count exact through a failed send and retries it on the next poll", async () => {
    let failing = true;
    const { r, sent, advance } = reporter({ fail: () => failing });
    r.join({ id: "a" });
    expect(await r.poll()).toBe(false);
    failing = false;
    advance(1500);
    expect(await r.poll()).toBe(true);
    expect(sent[0]!.count).toBe(1);
  });

  it("outranks an earlier incarnation of the same relay: versions follow the clock", async () => {
    const first = reporter();
    await first.r.poll();
    first.r.join({ id: "z" });
    first.advance(1500);
    await first.r.poll();
    // The relay object restarts a little later with a fresh reporter.
    let now = first.now() + 10;
    const sent: RelayPresenceReport[] = [];
    const second = new PresenceReporter({ relay: "relay-a", now: () => now, send: (r) => void sent.push(r) });
    await second.poll();
    now += 1;
    expect(sent[0]!.version).toBeGreaterThan(first.sent[1]!.version);
  });

  it("refuses a keepalive shorter than the interval", () => {
    expect(() => new PresenceReporter({ relay: "r", send: () => {}, intervalMs: 2000, keepaliveMs: 1000 })).toThrow(RangeError);
  });
});

const report = (relay: string, version: number, count: number, at: number): RelayPresenceReport => ({ relay, version, count, joins: [], leaves: [], at });

describe("RelayPresenceSet (per-relay state CRDT)", () => {
  it("keeps the latest version per relay and ignores stale and repeated reports", () => {
    const set = new RelayPresenceSet(30_000);
    expect(set.merge(report("a", 2, 10, 100), 200)).toEqual({ applied: true, total: 10 });
    expect(set.merge(report("a", 1, 99, 50), 200)).toEqual({ applied: false, total: 10 });
    expect(set.merge(report("a", 2, 10, 100), 200)).toEqual({ applied: false, total: 10 });
    expect(set.merge(report("b", 1, 5, 150), 200).total).toBe(15);
  });

  it("expires a silent relay ttl after its last report, and a late stale report cannot bring it back", () => {
    const set = new RelayPresenceSet(1000);
    set.merge(report("a", 1, 4, 0), 0);
    set.merge(report("b", 1, 6, 500), 500);
    expect(set.nextExpiry()).toBe(1000);
    expect(set.total(999)).toBe(10);
    expect(set.total(1000)).toBe(6);
    expect(set.expire(1000)).toEqual(["a"]);
    expect(set.merge(report("a", 1, 4, 0), 1200)).toEqual({ applied: false, total: 6 });
  });

  it("dates a report from a clock running ahead no later than its arrival", () => {
    const set = new RelayPresenceSet(1000);
    set.merge(report("a", 1, 4, 1_000_000), 0);
    expect(set.total(999)).toBe(4);
    expect(set.total(1000)).toBe(0);
  });

  it("converges to the same totals for any order and duplication of the same reports", () => {
    const reports = fc.array(
      fc.record({ relay: fc.constantFrom("r0", "r1", "r2", "r3", "r4"), version: fc.integer({ min: 0, max: 20 }), count: fc.integer({ min: 0, max: 1000 }), late: fc.integer({ min: 0, max: 999 }) }),
      { maxLength: 40 },
    );
    // As a reporter makes them: a relay never reuses a version, and a later version is never dated earlier.
    const unique = reports.map((rs) => [...new Map(rs.map((r) => [`${r.relay}:${r.version}`, { ...r, at: r.version * 1000 + r.late }])).values()]);
    fc.assert(
      fc.property(unique, fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 20_000, max: 40_000 }), (rs, seed, now) => {
        const delivered = shuffleWithDuplicates(rs.map((r) => report(r.relay, r.version, r.count, r.at)), seed);
        const a = new RelayPresenceSet(15_000);
        const b = new RelayPresenceSet(15_000);
        for (const r of rs) a.merge(report(r.relay, r.version, r.count, r.at), now);
        for (const r of delivered) b.merge(r, now);
        expect(b.total(now)).toBe(a.total(now));
        expect([...b.relays(now)].sort()).toEqual([...a.relays(now)].sort());
        // And the total is what the newest live report of each relay says, nothing else.
        const newest = new Map<string, { version: number; count: number; at: number }>();
        for (const r of rs) if ((newest.get(r.relay)?.version ?? -1) < r.version) newest.set(r.relay, r);
        const expected = [...newest.values()].filter((r) => r.at + 15_000 > now).reduce((n, r) => n + r.count, 0);
        expect(a.total(now)).toBe(expected);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });
});

/** A seeded permutation of `items` with some of them delivered two or three times. */
function shuffleWithDuplicates<T>(items: readonly T[], seed: number): T[] {
  let s = seed >>> 0 || 1;
  const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const out = items.flatMap((x) => (rand() < 0.3 ? [x, x, ...(rand() < 0.3 ? [x] : [])] : [x]));
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe("parsePresenceReport", () => {
  it("accepts a well-formed report and names the first problem of a bad one", () => {
    expect(parsePresenceReport({ relay: "r", version: 1, count: 2, joins: [{ id: "a", user: "u" }], leaves: ["b"], at: 5 }).ok).toBe(true);
    const cases: [unknown, RegExp][] = [
      [null, /object/],
      [{ relay: "", version: 1, count: 0, joins: [], leaves: [], at: 0 }, /relay/],
      [{ relay: "r", version: -1, count: 0, joins: [], leaves: [], at: 0 }, /version/],
      [{ relay: "r", version: 1, count: 1.5, joins: [], leaves: [], at: 0 }, /count/],
      [{ relay: "r", version: 1, count: 0, joins: [], leaves: [], at: "now" }, /at/],
      [{ relay: "r", version: 1, count: 0, joins: [{ user: "no id" }], leaves: [], at: 0 }, /joins/],
      [{ relay: "r", version: 1, count: 0, joins: [], leaves: new Array(300).fill("x"), at: 0 }, /leaves/],
    ];
    for (const [value, message] of cases) {
      const r = parsePresenceReport(value);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).toMatch(message);
    }
  });
});
