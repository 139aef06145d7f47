import { describe, expect, it } from "vitest";
import { RelayCore } from "../../durable-objects/cluster/relay-core";
import type { SeqFrame } from "../../durable-objects/cluster/sequencer";
import type { ServerFrame } from "../../durable-objects/realtime/protocol";
import { replay } from "../support/replay";

const E = "e1";
const renderAt = (seq: number, epoch = E): SeqFrame => ({
  epoch,
  seq,
  rid: "r",
  text: JSON.stringify({ type: "render", seq, epoch, rid: "r", statics: { a: ["<b>", "</b>"] }, dynamics: { s: "a", d: [String(seq)] } }),
});
const diffAt = (seq: number, epoch = E): SeqFrame => ({
  epoch,
  seq,
  from: seq - 1,
  rid: "r",
  text: JSON.stringify({ type: "diff", seq, from: seq - 1, epoch, rid: "r", changes: { d: { 0: String(seq) } } }),
});
const settle = async () => {
  for (let i = 0; i < 6; i++) await Promise.resolve();
};

/** A core whose parent is a log of `head` frames (render at 0, diffs after), counting its calls. */
function harness(head: { n: number }) {
  const sent = new Map<string, ServerFrame[]>();
  const calls: (number | undefined)[] = [];
  const core = new RelayCore<string>(
    {
      fetchRange: async (from) => {
        calls.push(from);
        if (from === undefined) return [renderAt(head.n)];
        return Array.from({ length: head.n - from }, (_, i) => diffAt(from + i + 1));
      },
      send: (v, text) => {
        const parsed = JSON.parse(text) as ServerFrame | ServerFrame[];
        sent.set(v, [...(sent.get(v) ?? []), ...(Array.isArray(parsed) ? parsed : [parsed])]);
      },
    },
    { ring: { maxFrames: 8, maxBytes: 1 << 20 } },
  );
  return { core, sent, calls, of: (v: string) => sent.get(v) ?? [] };
}

/** A relay whose first viewer has followed the parent's frames up to `n` (the ring keeps the last 8). */
async function grownTo(n: number) {
  const parent = { n: 0 };
  const h = harness(parent);
  h.core.join("first", {});
  await settle();
  grow(parent, h, n);
  return { parent, h };
}

function grow(parent: { n: number }, h: ReturnType<typeof harness>, to: number): void {
  for (let n = parent.n + 1; n <= to; n++) {
    parent.n = n;
    h.core.ingest([diffAt(n)]);
  }
}

describe("RelayCore", () => {
  it("fetches one render for every viewer that joins a relay with nothing yet", async () => {
    const h = harness({ n: 3 });
    h.core.join("a", {});
    h.core.join("b", {});
    await settle();
    expect(h.calls).toEqual([undefined]);
    expect(replay(h.of("a")).html).toBe("<b>3</b>");
    expect(replay(h.of("b")).seqs).toEqual([3]);
  });

  it("answers a resume from its ring, another epoch's with a render built from the ring, an older one from the parent", async () => {
    const { parent, h } = await grownTo(12);
    expect(replay(h.of("first")).seqs).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    h.core.join("recent", { since: 9, epoch: E });
    expect(h.of("recent").map((f) => f.type === "diff" && [f.from, f.seq])).toEqual([[9, 10], [10, 11], [11, 12]]);
    const calls = h.calls.length;
    // Another epoch's seq: one full render, built from the kept render and the ring (no parent call).
    h.core.join("other-epoch", { since: 11, epoch: "e0" });
    expect(h.of("other-epoch").map((f) => f.type)).toEqual(["render"]);
    expect(replay(h.of("other-epoch")).html).toBe("<b>12</b>");
    expect(h.calls.length).toBe(calls);
    // The ring keeps 8 frames: seq 2 is older, so the parent's longer buffer is asked, once for both.
    await Promise.all([h.core.join("old", { since: 2, epoch: E }), h.core.join("old-too", { since: 2, epoch: E })]);
    expect(h.calls.slice(calls)).toEqual([2]);
    expect(h.of("old").map((f) => f.type === "diff" && f.from)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(replay(h.of("old-too"), { seq: 2, root: { s: "a", d: ["2"] }, statics: { a: ["<b>", "</b>"] } }).html).toBe("<b>12</b>");
  });

  it("keeps the parent's answer for an old resume point: viewers coming back later to the same point cost no second call", async () => {
    const { parent, h } = await grownTo(12);
    const calls = h.calls.length;
    h.core.join("early", { since: 2, epoch: E });
    await settle();
    expect(h.calls.slice(calls)).toEqual([2]);
    // Later (the first answer has long arrived), and after more frames: the kept answer plus the ring.
    grow(parent, h, 13);
    h.core.join("late", { since: 2, epoch: E });
    await settle();
    expect(h.calls.slice(calls)).toEqual([2]);
    expect(replay(h.of("late"), { seq: 2, root: { s: "a", d: ["2"] }, statics: { a: ["<b>", "</b>"] } }).seqs).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    // Once the ring no longer chains on from the kept answer's end, a render instead (never a gap).
    grow(parent, h, 30);
    h.core.join("much-later", { since: 2, epoch: E });
    await settle();
    expect(replay(h.of("much-later"), { seq: 2, root: { s: "a", d: ["2"] }, statics: { a: ["<b>", "</b>"] } }).html).toBe("<b>30</b>");
  });

  it("holds an ack until its viewer shows the commit, then sends it with that frame", async () => {
    const parent = { n: 0 };
    const h = harness(parent);
    h.core.join("a", {});
    await settle();
    h.core.ack("a", { type: "ack", id: "x", seq: 1 }, { epoch: E, seq: 1 });
    expect(h.of("a").map((f) => f.type)).toEqual(["render"]);
    parent.n = 1;
    h.core.ingest([diffAt(1)]);
    expect(h.of("a").map((f) => f.type)).toEqual(["render", "diff", "ack"]);
  });

  it("voids every viewer on an epoch change and sends the new epoch's render", async () => {
    const parent = { n: 2 };
    const h = harness(parent);
    h.core.join("a", {});
    await settle();
    h.core.ingest([renderAt(0, "e2")]);
    await settle();
    const frames = h.of("a");
    expect(frames.map((f) => f.type === "render" && [f.epoch, f.seq])).toEqual([[E, 2], ["e2", 0]]);
  });

  it("holds a viewer that resumes ahead of this relay (it came from a relay further on) until the parent brings the relay there", async () => {
    const parent = { n: 3 };
    const h = harness(parent);
    h.core.join("first", {});
    await settle();
    parent.n = 6;
    const joined = h.core.join("ahead", { since: 5, epoch: E });
    expect(h.of("ahead")).toEqual([]);
    await joined;
    // Nothing it already has: only what follows seq 5.
    expect(h.of("ahead")).toEqual([{ type: "diff", seq: 6, from: 5, epoch: E, rid: "r", changes: { d: { 0: "6" } } }]);
    expect(replay(h.of("first")).seqs).toEqual([3, 4, 5, 6]);
  });
});
