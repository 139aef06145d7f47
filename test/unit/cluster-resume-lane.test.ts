import { describe, expect, it } from "vitest";
import type { RelayClock } from "../../durable-objects/cluster/parent-backoff";
import { RelayCore } from "../../durable-objects/cluster/relay-core";
import { MAX_ATTEMPTS } from "../../durable-objects/cluster/resume-lane";
import type { SeqFrame } from "../../durable-objects/cluster/sequencer";
import type { ServerFrame } from "../../durable-objects/realtime/protocol";
import { replay } from "../support/replay";

const E = "e1";
const STATICS = { a: ["<b>", "</b>"] };
const renderAt = (seq: number): SeqFrame => ({ epoch: E, seq, rid: "r", text: JSON.stringify({ type: "render", seq, epoch: E, rid: "r", statics: STATICS, dynamics: { s: "a", d: [String(seq)] } }) });
const diffAt = (seq: number): SeqFrame => ({ epoch: E, seq, from: seq - 1, rid: "r", text: JSON.stringify({ type: "diff", seq, from: seq - 1, epoch: E, rid: "r", changes: { d: { 0: String(seq) } } }) });
/** What a viewer showed at `seq` (its page's render, or the frames it had before it left). */
const at = (seq: number) => ({ seq, root: { s: "a", d: [String(seq)] }, statics: STATICS });
const settle = async () => {
  for (let i = 0; i < 6; i++) await Promise.resolve();
};

/** Simulated time: timers run when the test moves the clock; the jitter is the middle of its range. */
function manualClock() {
  let now = 0;
  let timers: { at: number; run: () => void }[] = [];
  const clock: RelayClock = { now: () => now, schedule: (ms, run) => void timers.push({ at: now + ms, run }), random: () => 0.5 };
  return {
    clock,
    now: () => now,
    pending: () => timers.length,
    /** Runs every timer due within `ms`, in time order, letting fetch answers settle after each. */
    async advance(ms: number) {
      const end = now + ms;
      for (;;) {
        const next = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!next) break;
        timers = timers.filter((t) => t !== next);
        now = next.at;
        next.run();
        await settle();
      }
      now = end;
    },
  };
}

/** A relay (ring of 8 frames) whose parent is a log at `parent.n` that fails resume (render) fetches while `down` (`downForRenders`). */
function relay(start?: { epoch: string; seq: number; rid: string }) {
  const parent = { n: start?.seq ?? 0, down: false, downForRenders: false };
  const time = manualClock();
  const sent = new Map<string, ServerFrame[]>();
  const calls: { kind: string; from: number | undefined; at: number }[] = [];
  const core = new RelayCore<string>(
    {
      fetchRange: async (from, _to, _rid, kind) => {
        calls.push({ kind, from, at: time.now() });
        if ((kind === "resume" && parent.down) || (kind === "render" && parent.downForRenders)) throw new Error("root restarting");
        if (from === undefined) return [renderAt(parent.n)];
        return Array.from({ length: parent.n - from }, (_, i) => diffAt(from + i + 1));
      },
      send: (v, text) => {
        const parsed = JSON.parse(text) as ServerFrame | ServerFrame[];
        sent.set(v, [...(sent.get(v) ?? []), ...(Array.isArray(parsed) ? parsed : [parsed])]);
      },
      onError: () => undefined,
    },
    { ring: { maxFrames: 8, maxBytes: 1 << 20 }, clock: time.clock, ...(start ? { start } : {}) },
  );
  return { parent, time, core, calls, of: (v: string) => sent.get(v) ?? [] };
}

/** Grown to seq 12 by a first viewer: the ring holds 4..12, the kept render is at 0 (bridged by the ring). */
async function relayAt12() {
  const h = relay();
  h.core.join("first", {});
  await settle();
  for (let n = 1; n <= 12; n++) {
    h.parent.n = n;
    h.core.ingest([diffAt(n)]);
  }
  h.calls.length = 0;
  return h;
}

describe("RelayCore's resume lane (resumes older than the ring, while the parent fails)", () => {
  it("parks resumers on a failed fetch (nothing sent, no render), then one retry after the backoff serves all of them as diffs from the oldest point", async () => {
    const h = await relayAt12();
    h.parent.down = true;
    h.core.join("at-3", { since: 3, epoch: E });
    h.core.join("at-2", { since: 2, epoch: E, rid: "r" });
    await settle();
    // One fetch for both, from the oldest point; it failed: both wait, shown nothing.
    expect(h.calls).toEqual([{ kind: "resume", from: 3, at: 0 }]);
    expect(h.of("at-3")).toEqual([]);
    expect(h.of("at-2")).toEqual([]);
    expect(h.core.parked).toBe(2);
    // A resumer joining during the backoff asks nothing itself, and a frame arriving leaves them parked.
    h.core.join("at-1", { since: 1, epoch: E });
    h.parent.n = 13;
    h.core.ingest([diffAt(13)]);
    await settle();
    expect(h.calls).toHaveLength(1);
    expect(h.of("at-1")).toEqual([]);
    h.parent.down = false;
    // Equal jitter at its middle: the first retry 150 ms after the failure, from the oldest point now parked.
    await h.time.advance(149);
    expect(h.calls).toHaveLength(1);
    await h.time.advance(1);
    expect(h.calls).toEqual([{ kind: "resume", from: 3, at: 0 }, { kind: "resume", from: 1, at: 150 }]);
    for (const [v, since] of [["at-1", 1], ["at-2", 2], ["at-3", 3]] as const) {
      expect(h.of(v).map((f) => f.type)).not.toContain("render");
      expect(replay(h.of(v), at(since)).seqs).toEqual(Array.from({ length: 13 - since }, (_, i) => since + 1 + i));
    }
    expect(h.core.parked).toBe(0);
    expect(h.core.busy).toBe(false);
  });

  it("backs off exponentially while the parent stays down, then gives each parked viewer one full render (the kept one: no parent call)", async () => {
    const h = await relayAt12();
    h.parent.down = true;
    h.core.join("old", { since: 2, epoch: E });
    await settle();
    for (let i = 0; i < MAX_ATTEMPTS + 2; i++) await h.time.advance(5000);
    const times = h.calls.map((c) => c.at);
    expect(h.calls.every((c) => c.kind === "resume")).toBe(true);
    expect(times).toHaveLength(MAX_ATTEMPTS);
    // 200 ms doubling, capped at 5 s, with equal jitter (the test's random is 0.5: three quarters of each ceiling).
    expect(times.slice(1).map((t, i) => t - times[i]!)).toEqual([150, 300, 600, 1200, 2400, 3750, 3750, 3750, 3750]);
    expect(h.of("old").map((f) => f.type)).toEqual(["render"]);
    expect(replay(h.of("old")).html).toBe("<b>12</b>");
    expect(h.core.busy).toBe(false);
    expect(h.time.pending()).toBe(0);
  });

  it("a viewer that leaves while parked is sent nothing, and with no one left no retry is made", async () => {
    const h = await relayAt12();
    h.parent.down = true;
    h.core.join("gone", { since: 2, epoch: E });
    await settle();
    h.core.leave("gone");
    h.parent.down = false;
    await h.time.advance(10_000);
    expect(h.calls).toHaveLength(1);
    expect(h.of("gone")).toEqual([]);
  });

  it("a failed render fetch is retried once after the backoff for every viewer waiting, not by each viewer that joins", async () => {
    // Woken from hibernation at seq 12: it knows its head, but holds no render.
    const h = relay({ epoch: E, seq: 12, rid: "r" });
    h.parent.downForRenders = true;
    h.core.join("a", {});
    h.core.join("b", {});
    await settle();
    expect(h.calls).toEqual([{ kind: "render", from: undefined, at: 0 }]);
    h.core.join("c", {});
    await h.time.advance(100);
    expect(h.calls).toHaveLength(1);
    h.parent.downForRenders = false;
    await h.time.advance(50);
    expect(h.calls).toEqual([{ kind: "render", from: undefined, at: 0 }, { kind: "render", from: undefined, at: 150 }]);
    for (const v of ["a", "b", "c"]) expect(replay(h.of(v)).html).toBe("<b>12</b>");
    expect(h.core.busy).toBe(false);
  });
});
