import { describe, expect, it } from "vitest";
import { PRESENCE_FRAME_MS_PER_SOCKET, PresenceFeed } from "../../durable-objects/realtime/presence-feed";
import type { PresenceEntry, PresenceFrame } from "../../durable-objects/realtime/protocol";

/** A feed over a set of present viewers, on a hand-driven clock and timer queue. */
function feed(frameMs = 100) {
  let now = 10_000;
  const present = new Map<string, PresenceEntry>();
  const frames: PresenceFrame[] = [];
  const timers: { at: number; fn: () => void }[] = [];
  const f = new PresenceFeed({
    broadcast: (frame) => frames.push(frame),
    count: () => present.size,
    list: (max) => [...present.values()].slice(0, max),
    frameMs,
    now: () => now,
    schedule: (fn, ms) => timers.push({ at: now + ms, fn }),
  });
  const join = (id: string) => {
    present.set(id, { id });
    f.join({ id });
  };
  const leave = (id: string) => {
    present.delete(id);
    f.leave(id);
  };
  /** Moves the clock, firing every timer that falls due on the way. */
  const advance = (ms: number) => {
    const until = now + ms;
    for (;;) {
      timers.sort((a, b) => a.at - b.at);
      const next = timers[0];
      if (!next || next.at > until) break;
      timers.shift();
      now = next.at;
      next.fn();
    }
    now = until;
  };
  return { f, frames, join, leave, advance, present, timers };
}

describe("PresenceFeed", () => {
  it("coalesces N joins inside one window into one frame with the exact count and capped samples", () => {
    const { frames, join, advance } = feed(100);
    join("first");
    advance(0);
    // Leading edge: the first join after a quiet window goes out on the next turn.
    expect(frames).toEqual([{ type: "presence", count: 1, joins: [{ id: "first" }] }]);
    for (let i = 0; i < 500; i++) join(`v${i}`);
    advance(99);
    expect(frames).toHaveLength(1);
    advance(1);
    // 501 sockets: the window grows with them, but these joins were due at the old window's end.
    expect(frames).toHaveLength(2);
    expect(frames[1]!.count).toBe(501);
    expect(frames[1]!.joins).toHaveLength(32);
    expect(frames[1]!.joins![0]).toEqual({ id: "v0" });
    expect(frames[1]!.leaves).toBeUndefined();
  });

  it("widens the window with the audience, so a join storm on many sockets costs few fan-outs", () => {
    const { frames, join, advance } = feed(100);
    for (let i = 0; i < 4000; i++) join(`v${i}`);
    advance(0);
    expect(frames).toHaveLength(1);
    join("late");
    const window = 4001 * PRESENCE_FRAME_MS_PER_SOCKET;
    advance(window - 1);
    expect(frames).toHaveLength(1);
    advance(1);
    expect(frames.map((x) => x.count)).toEqual([4000, 4001]);
  });

  it("converges on the exact count through churn, and sends nothing when a window's changes cancel out", () => {
    const { frames, join, leave, advance, present } = feed(50);
    for (let i = 0; i < 40; i++) join(`v${i}`);
    advance(50);
    for (let round = 0; round < 20; round++) {
      for (const id of [...present.keys()].slice(0, 10)) leave(id);
      for (let i = 0; i < 10; i++) join(`r${round}-${i}`);
      advance(25);
    }
    advance(200);
    expect(frames.at(-1)!.count).toBe(present.size);
    expect(present.size).toBe(40);
    // Fewer frames than changes: one per 50 ms window at most.
    expect(frames.length).toBeLessThanOrEqual(1 + Math.ceil((20 * 25 + 200) / 50));
    const sent = frames.length;
    join("flicker");
    leave("flicker");
    advance(500);
    expect(frames).toHaveLength(sent);
  });

  it("samples a viewer who came and went inside one window in neither list", () => {
    const { frames, join, leave, advance } = feed(100);
    join("stays");
    advance(0);
    join("flicker");
    leave("flicker");
    leave("stays");
    advance(100);
    expect(frames.at(-1)).toEqual({ type: "presence", count: 0, leaves: ["stays"] });
  });

  it("gives a hello the exact count and at most 32 present viewers", () => {
    const { f, join } = feed();
    for (let i = 0; i < 100; i++) join(`v${i}`);
    const snap = f.snapshot();
    expect(snap.count).toBe(100);
    expect(snap.list).toHaveLength(32);
  });

  it("refuses a negative window", () => {
    expect(() => new PresenceFeed({ broadcast: () => {}, count: () => 0, list: () => [], frameMs: -1 })).toThrow(RangeError);
  });
});
