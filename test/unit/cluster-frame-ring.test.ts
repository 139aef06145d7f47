import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FrameRing, utf8Length, type RingFrame } from "../../durable-objects/cluster/frame-ring";

const frame = (seq: number, from = seq - 1, rid = "r", text = `d${seq}`): RingFrame => ({ from, seq, rid, text });
const seqs = (a: ReturnType<FrameRing["since"]>) => ("full" in a ? "full" : a.frames.map((f) => f.seq));

describe("FrameRing", () => {
  it("answers since(seq) with the exact chain to its head", () => {
    const ring = new FrameRing("e", { maxFrames: 10, maxBytes: 1e6 });
    ring.rebase("e", 0, "r");
    for (let s = 1; s <= 5; s++) ring.push(frame(s));
    expect(seqs(ring.since(0))).toEqual([1, 2, 3, 4, 5]);
    expect(seqs(ring.since(3))).toEqual([4, 5]);
    expect(seqs(ring.since(5))).toEqual([]);
    expect(ring.since(2, { rid: "r", epoch: "e" })).toEqual({ frames: [frame(3), frame(4), frame(5)] });
  });

  it("needs a full render outside the ring, off the chain, or for another epoch or rid", () => {
    const ring = new FrameRing("e", { maxFrames: 3, maxBytes: 1e6 });
    ring.rebase("e", 0, "a");
    ring.push(frame(2, 0, "a"));
    ring.push(frame(5, 2, "b"));
    ring.push(frame(6, 5, "b"));
    expect(seqs(ring.since(1))).toBe("full"); // not a link: the chain went 0 -> 2
    expect(seqs(ring.since(7))).toBe("full"); // ahead of the head
    expect(seqs(ring.since(2, { epoch: "other" }))).toBe("full");
    expect(seqs(ring.since(2, { rid: "b" }))).toBe("full"); // at 2 the chain had rid a
    expect(seqs(ring.since(5, { rid: "b" }))).toEqual([6]);
    ring.push(frame(7, 6, "b")); // evicts 0 -> 2
    expect(seqs(ring.since(0))).toBe("full");
    expect(seqs(ring.since(2, { rid: "a" }))).toEqual([5, 6, 7]);
    expect(ring.oldest).toBe(2);
  });

  it("drops duplicates and restarts the chain at a frame that does not continue it", () => {
    const ring = new FrameRing("e", { maxFrames: 10, maxBytes: 1e6 });
    ring.rebase("e", 0, "r");
    ring.push(frame(1));
    ring.push(frame(1, 0, "r", "other text"));
    ring.push(frame(4, 3)); // 1 -> 3 never arrived
    expect(seqs(ring.since(0))).toBe("full");
    expect(seqs(ring.since(3))).toEqual([4]);
    expect(seqs(ring.since(3, { rid: "r" }))).toBe("full"); // the rid at 3 is unknown
    expect(ring.size).toBe(1);
  });

  it("keeps within its byte budget, and a frame larger than the budget breaks the chain", () => {
    const ring = new FrameRing("e", { maxFrames: 100, maxBytes: 10 });
    ring.rebase("e", 0, "r");
    for (let s = 1; s <= 6; s++) ring.push(frame(s, s - 1, "r", "abcd"));
    expect(ring.bytes).toBeLessThanOrEqual(10);
    expect(seqs(ring.since(4))).toEqual([5, 6]);
    ring.push(frame(7, 6, "r", "x".repeat(11)));
    expect(ring.size).toBe(0);
    expect(seqs(ring.since(6))).toBe("full");
    expect(seqs(ring.since(7))).toEqual([]);
    ring.push(frame(8, 7, "r", "é€")); // 2 + 3 bytes
    expect(ring.bytes).toBe(5);
  });

  it("counts UTF-8 bytes as TextEncoder does", () => {
    fc.assert(fc.property(fc.string({ unit: "binary" }), (s) => {
      expect(utf8Length(s)).toBe(new TextEncoder().encode(s).byteLength);
    }), { seed: 7, numRuns: 500 });
  });

  it("property: since(x) is the suffix of the pushed chain after x, or full only when x left the ring", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 80 }), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 4, max: 200 }), (steps, maxFrames, maxBytes) => {
        const ring = new FrameRing("e", { maxFrames, maxBytes });
        ring.rebase("e", 0, "r0");
        const chain: RingFrame[] = [];
        let seq = 0;
        for (const step of steps) {
          const f = frame(seq + step, seq, `r${seq + step}`, "x".repeat(step * 2));
          seq += step;
          chain.push(f);
          ring.push(f);
        }
        expect(ring.size).toBeLessThanOrEqual(maxFrames);
        expect(ring.bytes).toBeLessThanOrEqual(maxBytes);
        for (let i = 0; i < chain.length; i++) {
          const at = chain[i]!.from;
          const answer = ring.since(at, { rid: i === 0 ? "r0" : chain[i - 1]!.rid });
          if ("full" in answer) expect(at).toBeLessThan(ring.oldest!);
          else expect(answer.frames).toEqual(chain.slice(i));
        }
      }),
      { seed: 20261202, numRuns: 300 },
    );
  });
});
