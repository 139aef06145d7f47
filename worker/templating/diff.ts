import { collectStatics, type Dynamic, type RenderedNode, type StaticsTable } from "./rendered";

/**
 * What changed between two renders, slot by slot:
 * - a string, or a full node `{ s, d }` / list `{ l }`: replace the slot;
 * - `{ d: { [slot]: Change } }`: patch a node whose statics stayed the same;
 * - `{ L: { [index]: Change }, n }`: patch a list positionally, `n` its new length.
 */
export type Change = Dynamic | NodePatch | ListPatch;
export interface NodePatch {
  d: Record<number, Change>;
}
export interface ListPatch {
  L: Record<number, Change>;
  n: number;
}

export interface TreeDiff {
  /** Patch for the root: a NodePatch, or a whole node when the root template itself changed. */
  changes: Change;
  /** Statics that appear in the changes and were not in the previous render. */
  statics: StaticsTable;
}

/** Diffs two renders; null when nothing a client sees changed. */
export function diffTree(prev: RenderedNode, next: RenderedNode, prevStatics: StaticsTable, nextStatics: StaticsTable): TreeDiff | null {
  const change = diffDynamic(prev, next);
  if (change === undefined) return null;
  const statics: StaticsTable = {};
  collectNewStatics(change, prevStatics, nextStatics, statics);
  return { changes: change, statics };
}

function diffDynamic(prev: Dynamic, next: Dynamic): Change | undefined {
  if (typeof next === "string" || typeof prev === "string") {
    return prev === next ? undefined : next;
  }
  if ("s" in next) {
    if (!("s" in prev) || prev.s !== next.s) return next;
    const d: Record<number, Change> = {};
    let any = false;
    for (let i = 0; i < next.d.length; i++) {
      const c = diffDynamic(prev.d[i]!, next.d[i]!);
      if (c !== undefined) {
        d[i] = c;
        any = true;
      }
    }
    return any ? { d } : undefined;
  }
  if (!("l" in prev)) return next;
  const L: Record<number, Change> = {};
  let any = prev.l.length !== next.l.length;
  for (let i = 0; i < next.l.length; i++) {
    const c = i < prev.l.length ? diffDynamic(prev.l[i]!, next.l[i]!) : next.l[i]!;
    if (c !== undefined) {
      L[i] = c;
      any = true;
    }
  }
  return any ? { L, n: next.l.length } : undefined;
}

function collectNewStatics(change: Change, prevStatics: StaticsTable, nextStatics: StaticsTable, into: StaticsTable): void {
  if (typeof change === "string") return;
  if ("s" in change || "l" in change) {
    const found = collectStatics(change as Dynamic, nextStatics);
    for (const [id, strings] of Object.entries(found)) if (!(id in prevStatics)) into[id] = strings;
    return;
  }
  const children = "L" in change ? change.L : change.d;
  for (const c of Object.values(children)) collectNewStatics(c, prevStatics, nextStatics, into);
}

/** Applies a patch to a tree, returning the new tree (the input is not mutated). */
export function applyChange(prev: Dynamic, change: Change): Dynamic {
  if (typeof change === "string" || "s" in change || "l" in change) return change as Dynamic;
  if ("L" in change) {
    const base = typeof prev !== "string" && "l" in prev ? prev.l : [];
    const l: Dynamic[] = new Array(change.n);
    for (let i = 0; i < change.n; i++) {
      const c = change.L[i];
      l[i] = c === undefined ? base[i]! : i < base.length ? applyChange(base[i]!, c) : (c as Dynamic);
    }
    return { l };
  }
  if (typeof prev === "string" || !("s" in prev)) throw new Error("Cannot patch a slot that is not a node");
  const d = prev.d.slice();
  for (const [k, c] of Object.entries(change.d)) d[Number(k)] = applyChange(d[Number(k)]!, c);
  return { s: prev.s, d };
}
