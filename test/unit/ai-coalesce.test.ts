import { describe, expect, it } from "vitest";
import { CoalescingTokenBuffer, type Clock, type TextUpdate } from "../../worker/ai/coalesce";

/** A clock the test moves by hand. */
class ManualClock implements Clock {
  t = 0;
  #timers: { at: number; fn: () => void; id: number }[] = [];
  #next = 0;
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.#next;
    this.#timers.push({ at: this.t + ms, fn, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.#timers = this.#timers.filter((x) => x.id !== handle);
  }
  advance(ms: number): void {
    this.t += ms;
    const due = this.#timers.filter((x) => x.at <= this.t);
    this.#timers = this.#timers.filter((x) => x.at > this.t);
    for (const x of due) x.fn();
  }
}

function setup(flushMs = 50) {
  const clock = new ManualClock();
  const updates: TextUpdate[] = [];
  const buffer = new CoalescingTokenBuffer({ flushMs, clock, onUpdate: (u) => void updates.push(u) });
  return { clock, updates, buffer };
}

describe("CoalescingTokenBuffer", () => {
  it("sends the first token at once, then at most one update per window", async () => {
    const { clock, updates, buffer } = setup(50);
    buffer.push("Hel");
    await Promise.resolve();
    expect(updates.map((u) => u.text)).toEqual(["Hel"]);
    for (const t of ["lo", ",", " wor"]) {
      clock.advance(10);
      buffer.push(t);
    }
    await Promise.resolve();
    expect(updates).toHaveLength(1);
    clock.advance(20); // 50 ms after the first flush
    await buffer.close();
    expect(updates.map((u) => ({ text: u.text, delta: u.delta, done: u.done }))).toEqual([
      { text: "Hel", delta: "Hel", done: false },
      { text: "Hello, wor", delta: "lo, wor", done: false },
      { text: "Hello, wor", delta: "", done: true },
    ]);
    expect(updates.map((u) => u.seq)).toEqual([1, 2, 3]);
  });

  it("turns 1000 tokens over 1 s into about one update per window, never more", async () => {
    const { clock, updates, buffer } = setup(100);
    for (let i = 0; i < 1000; i++) {
      buffer.push("x");
      clock.advance(1);
    }
    await buffer.close();
    expect(updates.at(-1)).toMatchObject({ text: "x".repeat(1000), done: true });
    expect(updates.length).toBeLessThanOrEqual(12);
    expect(updates.length).toBeGreaterThanOrEqual(10);
    // Text only grows, and every delta is exactly what was added.
    for (let i = 1; i < updates.length; i++) {
      expect(updates[i]!.text.startsWith(updates[i - 1]!.text)).toBe(true);
      expect(updates[i - 1]!.text + updates[i]!.delta).toBe(updates[i]!.text);
    }
  });

  it("delivers updates in order even when onUpdate is slow", async () => {
    const seen: number[] = [];
    const clock = new ManualClock();
    const buffer = new CoalescingTokenBuffer({
      flushMs: 10,
      clock,
      onUpdate: async (u) => {
        await new Promise((r) => setTimeout(r, u.seq === 1 ? 20 : 0));
        seen.push(u.seq);
      },
    });
    buffer.push("a");
    clock.advance(10);
    buffer.push("b");
    await buffer.close();
    expect(seen).toEqual([1, 2, 3]);
  });

  it("abort drops what is pending and refuses more tokens", async () => {
    const { clock, updates, buffer } = setup(50);
    buffer.push("a");
    clock.advance(5);
    buffer.push("b");
    await buffer.abort();
    clock.advance(100);
    expect(updates.map((u) => u.text)).toEqual(["a"]);
    expect(() => buffer.push("c")).toThrow(/closed/);
  });

  it("rejects a negative window", () => {
    expect(() => new CoalescingTokenBuffer({ flushMs: -1, onUpdate: () => {} })).toThrow(RangeError);
  });
});
