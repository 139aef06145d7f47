import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Sequencer, type Delivery, type SeqFrame } from "../../durable-objects/cluster/sequencer";

const E = "e1";
const diff = (seq: number, epoch = E, from = seq - 1): SeqFrame => ({ epoch, seq, from, rid: "r", text: `d${seq}` });
const render = (seq: number, epoch = E): SeqFrame => ({ epoch, seq, rid: "r", text: `render${seq}` });
/** Lets promise callbacks (a fetch's answer, the sequencer's handling of it) run. */
const settle = async () => {
  for (let i = 0; i < 4; i++) await Promise.resolve();
};

interface Fetch {
  from: number | undefined;
  to: number;
  resolve(frames: readonly SeqFrame[]): void;
  reject(err: unknown): void;
}

/** A sequencer whose fetches wait until the test answers them, recording what it delivers. */
function harness(start: { epoch: string; seq: number } | null = { epoch: E, seq: 0 }) {
  const delivered: Delivery[] = [];
  const fetches: Fetch[] = [];
  const errors: unknown[] = [];
  const seq = new Sequencer({
    ...(start ? { start } : {}),
    fetchRange: (from, to) => new Promise((resolve, reject) => fetches.push({ from, to, resolve, reject })),
    deliver: (d) => delivered.push(d),
    onError: (err) => errors.push(err),
  });
  const seqs = () => delivered.map((d) => (d.type === "frame" ? d.frame.seq : `reset:${d.epoch}`));
  return { seq, delivered, fetches, errors, seqs };
}

describe("Sequencer", () => {
  it("delivers in order, drops duplicates, and holds a frame ahead of the head until the gap is filled", async () => {
    const h = harness();
    h.seq.accept(diff(1));
    h.seq.accept(diff(1));
    h.seq.accept(diff(3));
    h.seq.accept(diff(4));
    expect(h.seqs()).toEqual([1]);
    // One call for the gap, not one per frame, and only for what no held frame brings.
    expect(h.fetches.map((f) => [f.from, f.to])).toEqual([[1, 2]]);
    h.fetches[0]!.resolve([diff(2)]);
    await settle();
    expect(h.seqs()).toEqual([1, 2, 3, 4]);
    expect(h.seq.waiting).toBe(0);
  });

  it("coalesces overlapping gaps into the fetch already asking for them", async () => {
    const h = harness();
    h.seq.accept(diff(5));
    h.seq.accept(diff(3));
    h.seq.accept(diff(8));
    expect(h.fetches.map((f) => [f.from, f.to])).toEqual([[0, 4], [4, 7]]);
    h.fetches[1]!.resolve([diff(5), diff(6), diff(7)]);
    await settle();
    expect(h.seqs()).toEqual([]);
    h.fetches[0]!.resolve([diff(1), diff(2), diff(3), diff(4)]);
    await settle();
    expect(h.seqs()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(h.fetches).toHaveLength(2);
  });

  it("asks once for what a whole batch leaves missing", async () => {
    const h = harness();
    h.seq.acceptAll([diff(5), diff(3), diff(3), diff(8)]);
    expect(h.fetches.map((f) => [f.from, f.to])).toEqual([[0, 7]]);
    h.fetches[0]!.resolve([1, 2, 3, 4, 5, 6, 7].map((n) => diff(n)));
    await settle();
    expect(h.seqs()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it("follows chains that skip seqs (a diff spanning several commits)", () => {
    const h = harness();
    h.seq.accept(diff(7, E, 3));
    h.seq.accept(diff(3, E, 0));
    expect(h.seqs()).toEqual([3, 7]);
    expect(h.fetches).toHaveLength(1); // asked when 0 -> 3 was missing; the answer is then moot
  });

  it("finds a gap at the tail from the parent's announced head", async () => {
    const h = harness();
    h.seq.accept(diff(1));
    h.seq.announce(E, 1);
    expect(h.fetches).toHaveLength(0);
    h.seq.announce(E, 3);
    expect(h.fetches.map((f) => [f.from, f.to])).toEqual([[1, 3]]);
    h.fetches[0]!.resolve([diff(2), diff(3)]);
    await settle();
    expect(h.seqs()).toEqual([1, 2, 3]);
  });

  it("takes a render from the parent when the range is gone, dropping what it makes moot", async () => {
    const h = harness();
    h.seq.accept(diff(9));
    h.seq.accept(diff(12));
    h.fetches[0]!.resolve([render(10), diff(11)]);
    await settle();
    expect(h.seqs()).toEqual([10, 11, 12]);
    expect(h.delivered[0]).toEqual({ type: "frame", frame: render(10) });
  });

  it("asks again, on the next frame, for a range whose fetch failed or came back short", async () => {
    const h = harness();
    h.seq.accept(diff(3));
    h.fetches[0]!.reject(new Error("parent evicted"));
    await settle();
    expect(h.errors).toHaveLength(1);
    h.seq.accept(diff(4));
    expect(h.fetches.map((f) => [f.from, f.to])).toEqual([[0, 2], [0, 2]]);
    h.fetches[1]!.resolve([diff(1)]);
    await settle();
    expect(h.errors).toHaveLength(2);
    h.seq.announce(E, 4);
    expect(h.fetches.map((f) => [f.from, f.to])).toEqual([[0, 2], [0, 2], [1, 2]]);
    h.fetches[2]!.resolve([diff(2)]);
    await settle();
    expect(h.seqs()).toEqual([1, 2, 3, 4]);
  });

  it("resets on an epoch change: a reset signal, a render of the new log, late frames of the old one ignored", async () => {
    const h = harness();
    h.seq.accept(diff(1));
    h.seq.accept(diff(3)); // its fetch is still out when the epoch changes
    h.seq.accept(diff(2, "e2"));
    expect(h.seqs()).toEqual([1, "reset:e2"]);
    expect(h.fetches[1]).toMatchObject({ from: undefined, to: 1 });
    h.fetches[0]!.resolve([diff(2), diff(3)]); // the old epoch's answer: ignored
    h.fetches[1]!.resolve([render(1, "e2")]);
    await settle();
    h.seq.accept(diff(5)); // a late frame of e1
    h.seq.accept(diff(3, "e2"));
    expect(h.seqs()).toEqual([1, "reset:e2", 1, 2, 3]);
    expect(h.seq.epoch).toBe("e2");
  });

  it("starting from nothing, asks for a render once however many frames arrive", async () => {
    const h = harness(null);
    h.seq.accept(diff(4));
    h.seq.accept(diff(5));
    h.seq.accept(diff(6));
    expect(h.fetches.map((f) => [f.from, f.to])).toEqual([[undefined, 3]]);
    h.fetches[0]!.resolve([render(3)]);
    await settle();
    expect(h.seqs()).toEqual([3, 4, 5, 6]);
  });

  it("holds at most maxWaiting frames ahead of the head, then fetches the whole range instead", async () => {
    const delivered: number[] = [];
    const fetches: [number | undefined, number][] = [];
    const seq = new Sequencer({
      start: { epoch: E, seq: 0 },
      maxWaiting: 3,
      fetchRange: async (from, to) => {
        fetches.push([from, to]);
        return Array.from({ length: to - from! }, (_, i) => diff(from! + i + 1));
      },
      deliver: (d) => d.type === "frame" && delivered.push(d.frame.seq),
    });
    for (let s = 3; s <= 6; s++) seq.accept(diff(s)); // 1 and 2 lost; the 4th held frame overflows
    expect(seq.waiting).toBe(0);
    await settle();
    expect(fetches).toEqual([[0, 2], [2, 6]]);
    expect(delivered).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("a fetch that throws synchronously is reported, not thrown into the caller", () => {
    const errors: unknown[] = [];
    const seq = new Sequencer({
      start: { epoch: E, seq: 0 },
      fetchRange: () => {
        throw new Error("no parent");
      },
      deliver: () => {},
      onError: (err) => errors.push(err),
    });
    expect(() => seq.accept(diff(2))).not.toThrow();
  });

  /**
   * Property: the parent pushes frames 1..N; each is dropped, sent once or duplicated, and all
   * copies arrive in a random order; fetches are answered from the true sequence, in a random
   * order and at random points between arrivals. Delivered seqs are exactly 1..N, once each, in
   * order, and no seq is ever asked for twice (one fetch per distinct gap).
   */
  it("property: exactly once, in order, one fetch per gap, under drops, duplicates, reorders and slow fetches", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 60 }).chain((n) =>
          fc.record({
            n: fc.constant(n),
            copies: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: n, maxLength: n }),
            order: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 3 * n, maxLength: 3 * n }),
            answerAt: fc.array(fc.nat(), { minLength: 3 * n, maxLength: 3 * n }),
          }),
        ),
        async ({ n, copies, order, answerAt }) => {
          const truth = Array.from({ length: n }, (_, i) => diff(i + 1));
          const h = harness();
          const arrivals: SeqFrame[] = [];
          copies.forEach((c, i) => {
            for (let k = 0; k < c; k++) arrivals.push(truth[i]!);
          });
          const shuffled = arrivals.map((f, i) => ({ f, key: order[i]! })).sort((a, b) => a.key - b.key);
          const answered = new Set<Fetch>();
          const answerOne = async (pick: number) => {
            const open = h.fetches.filter((f) => !answered.has(f));
            const f = open[pick % Math.max(open.length, 1)];
            if (!f) return;
            answered.add(f);
            f.resolve(truth.filter((t) => t.from! >= f.from! && t.seq <= f.to));
            await settle();
          };
          for (let i = 0; i < shuffled.length; i++) {
            h.seq.accept(shuffled[i]!.f);
            if (answerAt[i]! % 3 === 0) await answerOne(answerAt[i]!);
          }
          h.seq.announce(E, n); // the heartbeat after the last frame
          for (let i = 0; h.fetches.some((f) => !answered.has(f)); i++) await answerOne(answerAt[i % answerAt.length]!);
          expect(h.seqs()).toEqual(truth.map((t) => t.seq));
          const asked = h.fetches.map((f) => [f.from!, f.to] as const).sort((a, b) => a[0] - b[0]);
          for (let i = 1; i < asked.length; i++) expect(asked[i]![0]).toBeGreaterThanOrEqual(asked[i - 1]![1]);
          expect(h.errors).toEqual([]);
        },
      ),
      { seed: 20261202, numRuns: 1000 },
    );
  });
  /**
   * Property: an epoch change (the root's log reset) in the middle of a lossy, reordered stream.
   * The parent moves to e2 when its first e2 frame goes out and answers fetches from the log it is
   * on. Whatever the order, the relay resets at most once, never goes back to e1, delivers a valid
   * chain in each epoch, and ends at e2's last seq.
   */
  it("property: an epoch change mid-stream resets once, never goes back, and ends on the new log's head", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          n1: fc.integer({ min: 1, max: 20 }),
          n2: fc.integer({ min: 1, max: 20 }),
          r0: fc.integer({ min: 0, max: 5 }),
          copies: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 41, maxLength: 41 }),
          order: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 90, maxLength: 90 }),
          answerAt: fc.array(fc.nat(), { minLength: 90, maxLength: 90 }),
        }),
        async ({ n1, n2, r0, copies, order, answerAt }) => {
          const e1 = Array.from({ length: n1 }, (_, i) => diff(i + 1));
          const e2 = [render(r0, "e2"), ...Array.from({ length: n2 }, (_, i) => diff(r0 + i + 1, "e2"))];
          const sent: SeqFrame[] = [];
          [...e1, ...e2].forEach((f, i) => {
            for (let k = 0; k < (copies[i] ?? 1); k++) sent.push(f);
          });
          const arrivals = sent.map((f, i) => ({ f, key: order[i] ?? 1 })).sort((a, b) => a.key - b.key).map((a) => a.f);
          let onE2 = false;
          const h = harness();
          const answered = new Set<Fetch>();
          const answerOne = async (pick: number) => {
            const open = h.fetches.filter((f) => !answered.has(f));
            const f = open[pick % Math.max(open.length, 1)];
            if (!f) return;
            answered.add(f);
            if (!onE2) f.resolve(e1.filter((t) => t.from! >= f.from! && t.seq <= f.to));
            else if (f.from !== undefined && f.from >= r0) f.resolve(e2.filter((t) => t.from !== undefined && t.from >= f.from! && t.seq <= Math.max(f.to, f.from! + 1)));
            else f.resolve(e2.filter((t) => t.seq <= Math.max(f.to, r0)));
            await settle();
          };
          for (let i = 0; i < arrivals.length; i++) {
            const f = arrivals[i]!;
            if (f.epoch === "e2") onE2 = true;
            h.seq.accept(f);
            if (answerAt[i]! % 3 === 0) await answerOne(answerAt[i]!);
          }
          onE2 = true;
          h.seq.announce("e2", r0 + n2);
          for (let i = 0; h.fetches.some((f) => !answered.has(f)) && i < 1000; i++) await answerOne(answerAt[i % answerAt.length]!);

          const resets = h.delivered.filter((d) => d.type === "reset");
          expect(resets.length).toBeLessThanOrEqual(1);
          let epoch = E;
          let at: number | undefined = 0;
          for (const d of h.delivered) {
            if (d.type === "reset") {
              epoch = d.epoch;
              at = undefined;
              continue;
            }
            expect(d.frame.epoch).toBe(epoch);
            if (d.frame.from !== undefined) expect(d.frame.from).toBe(at);
            else expect(d.frame.seq).toBeGreaterThan(at ?? -1);
            at = d.frame.seq;
          }
          expect(h.seq.epoch).toBe("e2");
          expect(h.seq.head).toBe(r0 + n2);
        },
      ),
      { seed: 20261202, numRuns: 500 },
    );
  });
});
