import type { ServerFrame } from "../../durable-objects/realtime/protocol";
import { applyChange } from "../../worker/templating/diff";
import { toHtml, type Dynamic, type StaticsTable } from "../../worker/templating/rendered";

export interface Shown {
  seq: number;
  rid?: string;
  root: Dynamic;
  statics: StaticsTable;
}

/** Rebuilds what a browser would show from the frames it received, checking every seq link. */
export function replay(frames: ServerFrame[], start?: Shown): { state: Shown | undefined; html: string; seqs: number[] } {
  let cur = start;
  const seqs: number[] = [];
  for (const f of frames) {
    if (f.type === "render") {
      cur = { seq: f.seq, rid: f.rid, root: f.dynamics, statics: { ...f.statics } };
      seqs.push(f.seq);
    } else if (f.type === "diff") {
      if (!cur) throw new Error("diff before render");
      if (f.from !== cur.seq) throw new Error(`diff from ${f.from} applied on ${cur.seq}`);
      cur = { seq: f.seq, rid: f.rid, root: applyChange(cur.root, f.changes), statics: { ...cur.statics, ...f.statics } };
      seqs.push(f.seq);
    }
  }
  return { state: cur, html: cur ? toHtml(cur.root, cur.statics) : "", seqs };
}
