import { abortAllDurableObjects } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { applyChange } from "../../worker/templating/diff";
import { toHtml, type Dynamic, type StaticsTable } from "../../worker/templating/rendered";
import type { ServerFrame } from "../../durable-objects/realtime/protocol";
import { Client, connectDirect, connectViaWorker, hello, labs } from "../support/live";

/** Rebuilds what a browser would show from the frames it received, checking every seq link. */
function replay(frames: ServerFrame[], start?: { seq: number; root: Dynamic; statics: StaticsTable }) {
  let cur = start;
  const seqs: number[] = [];
  for (const f of frames) {
    if (f.type === "render") {
      cur = { seq: f.seq, root: f.dynamics, statics: { ...f.statics } };
      seqs.push(f.seq);
    } else if (f.type === "diff") {
      if (!cur) throw new Error("diff before render");
      if (f.from !== cur.seq) throw new Error(`diff from ${f.from} applied on ${cur.seq}`);
      cur = { seq: f.seq, root: applyChange(cur.root, f.changes), statics: { ...cur.statics, ...f.statics } };
      seqs.push(f.seq);
    }
  }
  return { state: cur, html: cur ? toHtml(cur.root, cur.statics) : "", seqs };
}

async function action(c: Client, id: string, name: string, args: unknown): Promise<ServerFrame> {
  c.send({ type: "action", id, name, args });
  await c.until((x) => x.frames.some((f) => (f.type === "ack" || f.type === "error") && f.id === id));
  return c.frames.find((f) => (f.type === "ack" || f.type === "error") && f.id === id)!;
}

describe("live sockets", () => {
  it("renders on hello, then diffs each action, every frame carrying its seq", async () => {
    const res = await connectViaWorker("counter", "sock-1");
    expect(res.status).toBe(101);
    const c = new Client(res.webSocket!);
    await hello(c);
    expect(c.frames[0]).toMatchObject({ type: "render", seq: 0 });
    expect(await action(c, "a1", "increment", { by: 2 })).toEqual({ type: "ack", id: "a1", seq: 1 });
    await action(c, "a2", "increment", { by: 3 });
    await c.until((x) => x.of("diff").length === 2);
    const view = replay(c.frames);
    expect(view.html).toBe('<button data-action="increment" data-by="1">5</button>');
    expect(view.seqs).toEqual([0, 1, 2]);
    expect(c.of("diff")[0]).toMatchObject({ from: 0, seq: 1 });
    c.close();
  });
});
