import { describe, expect, it } from "vitest";
import type { RelayHeartbeat } from "../../durable-objects/cluster/contracts";
import { hubName } from "../../durable-objects/cluster/placement";
import { RegistryBook } from "../../durable-objects/cluster/registry-book";
import { RelayCore } from "../../durable-objects/cluster/relay-core";
import type { SeqFrame } from "../../durable-objects/cluster/sequencer";
import { hubsPerRegion } from "../../worker/routing/relay-router";

const E = "e1";
const renderAt = (seq: number, rid = "r"): SeqFrame => ({
  epoch: E,
  seq,
  rid,
  text: JSON.stringify({ type: "render", seq, epoch: E, rid, statics: { a: ["<b>", "</b>"] }, dynamics: { s: "a", d: [String(seq)] } }),
});
const diffAt = (seq: number): SeqFrame => ({ epoch: E, seq, from: seq - 1, rid: "r", text: JSON.stringify({ type: "diff", seq, from: seq - 1, epoch: E, rid: "r", changes: { d: { 0: String(seq) } } }) });
const settle = async () => {
  for (let i = 0; i < 6; i++) await Promise.resolve();
};

/** A hub's core: no viewers, every delivered frame handed on (as RelayHub pushes it to its relays). */
function hubCore(ring = 4) {
  const forwarded: SeqFrame[] = [];
  const core = new RelayCore<never>(
    { fetchRange: async () => [renderAt(0)], send: () => undefined, onFrame: (f) => forwarded.push(f) },
    { ring: { maxFrames: ring, maxBytes: 1 << 20 } },
  );
  return { core, forwarded };
}

describe("a hub's RelayCore", () => {
  it("hands on every frame of the chain once, in order, however the parent's pushes arrive", async () => {
    const { core, forwarded } = hubCore();
    core.ingest([renderAt(0)]);
    core.ingest([diffAt(2), diffAt(1), diffAt(1), diffAt(3)]);
    core.ingest([diffAt(2), diffAt(3)]);
    await settle();
    expect(forwarded.map((f) => [f.from, f.seq])).toEqual([[undefined, 0], [0, 1], [1, 2], [2, 3]]);
  });

  it("answers a relay's fetch as the root would from what it holds, and leaves the rest to its parent", async () => {
    const { core } = hubCore(4);
    expect(core.answer(0)).toBeUndefined(); // nothing yet
    core.ingest([renderAt(0)]);
    for (let s = 1; s <= 6; s++) core.ingest([diffAt(s)]);
    await settle();
    // The ring holds 3..6 (its oldest resume point is 2).
    expect(core.answer(3)!.map((f) => f.seq)).toEqual([4, 5, 6]);
    expect(core.answer(2, E, "r")!.map((f) => f.seq)).toEqual([3, 4, 5, 6]);
    expect(core.answer(6)).toEqual([]); // the relay is at this hub's head: it asks because it knows of more
    // A render at the head, from the kept render and the ring's diffs (no parent call).
    const render = core.answer(undefined)!;
    expect(render).toHaveLength(1);
    expect(render[0]).toMatchObject({ seq: 6, epoch: E, rid: "r" });
    expect(JSON.parse(render[0]!.text)).toMatchObject({ type: "render", seq: 6, dynamics: { d: ["6"] } });
    // Another rid inside the ring: the same render the root would send.
    expect(core.answer(4, E, "other")![0]).toMatchObject({ seq: 6 });
    // Only the parent can say: older than the ring, ahead of the head, another epoch.
    expect(core.answer(1)).toBeUndefined();
    expect(core.answer(9)).toBeUndefined();
    expect(core.answer(4, "e0")).toBeUndefined();
  });
});

describe("hub placement and registry", () => {
  it("names a relay's hub by its region and a stable rendezvous pick among that region's hubs", () => {
    const names = Array.from({ length: 200 }, (_, i) => `p|weur|${i}`);
    const two = names.map((r) => hubName("p", r, "weur", 2));
    expect(new Set(two)).toEqual(new Set(["p|hub|weur|0", "p|hub|weur|1"]));
    expect(names.map((r) => hubName("p", r, "weur", 2))).toEqual(two);
    expect(hubName("p", "p|any|0", undefined, 1)).toBe("p|hub|any|0");
    // Growing to 3 moves only relays the new hub wins.
    const three = names.map((r) => hubName("p", r, "weur", 3));
    const moved = three.filter((h, i) => h !== two[i]);
    expect(moved.every((h) => h === "p|hub|weur|2")).toBe(true);
    expect(moved.length).toBeGreaterThan(30);
    expect(moved.length).toBeLessThan(110);
  });

  it("reads `hubs` from config, and says what is wrong with a bad count", () => {
    expect([hubsPerRegion(undefined), hubsPerRegion("per-region"), hubsPerRegion(3)]).toEqual([undefined, 1, 3]);
    for (const bad of [0, -1, 1.5, 65]) expect(() => hubsPerRegion(bad)).toThrow(/cluster hubs must be "per-region" or an integer from 1 to 64/);
  });

  it("tracks and drops hubs like relays, but never routes a viewer to one", () => {
    const book = new RegistryBook({ heartbeatMs: 1000 });
    const beat = (relay: string, kind?: "hub"): RelayHeartbeat => ({ relay, component: "c", key: "k", sockets: 1, capacity: kind ? 0 : 10, head: null, at: 0, ...(kind ? { kind } : {}) });
    book.beat(beat("relay-0"));
    book.beat(beat("hub-0", "hub"));
    expect(book.size).toBe(2);
    expect(book.routes("c", "k", 10).relays.map((r) => r.relay)).toEqual(["relay-0"]);
    expect(book.expire(4000).map((b) => [b.relay, b.kind])).toEqual([["relay-0", undefined], ["hub-0", "hub"]]);
  });
});
