import { describe, expect, it } from "vitest";
import type { AckFrame, DiffFrame, ServerFrame } from "../../durable-objects/realtime/protocol";
import { Client, connectDirect, hello, labs } from "../support/live";
import { replay, type Shown } from "../support/replay";

const N = 100;

/** Sends N `add` actions back to back on one socket (none waits for an ack) and waits for every answer. */
async function pipeline(c: Client, prefix: string): Promise<void> {
  const answered = (x: Client) => x.of("ack").length + x.of("error").length;
  const before = answered(c);
  for (let i = 0; i < N; i++) c.send({ type: "action", id: `${prefix}${i}`, name: "add", args: { by: 1 } });
  await c.until((x) => answered(x) >= before + N);
}

/** The state a client shows after each frame, and the seq each ack names at the point it arrived. */
function acksAgainstShown(frames: ServerFrame[]): { ack: AckFrame; shown: number }[] {
  const out: { ack: AckFrame; shown: number }[] = [];
  let shown = -1;
  for (const f of frames) {
    if (f.type === "render" || f.type === "diff") shown = f.seq;
    if (f.type === "ack") out.push({ ack: f, shown });
  }
  return out;
}

describe("pipelined actions on one socket", () => {
  it("each is acked once, in order, with its own seq, never before the client shows it; the frames form one chain", async () => {
    const key = `pipe-${crypto.randomUUID()}`;
    const c = await connectDirect(labs.COMPACT_LAB, key);
    await hello(c);
    await pipeline(c, "p");
    expect(c.of("error")).toEqual([]);
    const acks = acksAgainstShown(c.frames);
    expect(acks.map((a) => a.ack.id)).toEqual(Array.from({ length: N }, (_, i) => `p${i}`));
    expect(acks.map((a) => a.ack.seq)).toEqual(Array.from({ length: N }, (_, i) => i + 1));
    for (const a of acks) expect(a.shown).toBeGreaterThanOrEqual(a.ack.seq);
    // replay checks every link (each diff's `from` is the seq the previous frame left).
    const view = replay(c.frames);
    expect(view.state?.seq).toBe(N);
    expect(view.html).toContain(`<p>${N}</p>`);
    const stub = labs.COMPACT_LAB.getByName(key);
    expect((await stub.stats()).seq).toBe(N);
    expect((await stub.stateAt(N)).state.total).toBe(N);
    // Sent again, every id is a duplicate acked with its first seq: nothing is applied twice.
    await pipeline(c, "p");
    expect(c.of("ack").slice(N).map((a) => [a.id, a.seq])).toEqual(acks.map((a) => [a.ack.id, a.ack.seq]));
    expect((await stub.stats()).seq).toBe(N);
    c.close();
  });

  it("a client that saw part of the pipeline resumes with exactly the frames it missed", async () => {
    const key = `pipe-resume-${crypto.randomUUID()}`;
    const a = await connectDirect(labs.COMPACT_LAB, key);
    await hello(a);
    await pipeline(a, "r");
    const diffs = a.of("diff");
    // The client that left after the frame before the last one: it shows that frame's seq.
    const cut = a.frames.indexOf(diffs.at(-1)!);
    const seen: Shown = replay(a.frames.slice(0, cut)).state!;
    a.close();
    const b = await connectDirect(labs.COMPACT_LAB, key);
    await hello(b, seen.seq, { ...(seen.rid !== undefined ? { rid: seen.rid } : {}), epoch: diffs.at(-1)!.epoch });
    expect(b.of("render")).toEqual([]);
    expect(b.of("diff").map((f) => [f.from, f.seq])).toEqual([[seen.seq, N]]);
    const view = replay(b.frames, seen);
    expect(view.html).toBe(replay([await labs.COMPACT_LAB.getByName(key).currentRender()]).html);
    b.close();
  });
});

describe("pipelined actions on the root's own socket", () => {
  it("share frames: one render and one send for the actions queued behind a flush, at most 64 updates in one", async () => {
    const key = `pipe-root-${crypto.randomUUID()}`;
    const c = await connectDirect(labs.COMPACT_LAB, key, undefined, { root: true });
    await hello(c);
    const acksPerMessage: number[] = [];
    c.ws.addEventListener("message", (e) => {
      const parsed = JSON.parse(e.data as string) as ServerFrame | ServerFrame[];
      acksPerMessage.push((Array.isArray(parsed) ? parsed : [parsed]).filter((f) => f.type === "ack").length);
    });
    await pipeline(c, "s");
    const diffs: DiffFrame[] = c.of("diff");
    // The 100 frames were all delivered before the object ran the first (the test sends them in one
    // turn): the first is flushed at once, the rest queued behind it.
    expect(diffs[0]).toMatchObject({ from: 0, seq: 1 });
    expect(diffs.length).toBeLessThan(N);
    expect(Math.max(...acksPerMessage)).toBeLessThanOrEqual(64);
    expect(acksPerMessage.reduce((x, y) => x + y, 0)).toBe(N);
    // Every frame sent went to this socket once, as one message with the acks it shows.
    expect((await labs.COMPACT_LAB.getByName(key).stats()).framesSent).toBe(diffs.length);
    expect(acksPerMessage.filter((n) => n > 0)).toHaveLength(diffs.length);
    c.close();
  });
});
