import { collectStatics } from "./rendered";
import { sameDynamic, VIEWER_SLOT_ID } from "./viewer-slot";
import type { Change, Dynamic, RenderedList, RenderedNode, StaticsTable } from "./wire";

export { applyChange, type Change, type ListPatch, type NodePatch } from "./wire";

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
    // A viewer slot changes whole: each socket may show another value there, so a patch into it would not fit.
    if (next.s === VIEWER_SLOT_ID) return sameDynamic(prev, next) ? undefined : next;
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
  if (prev.k && next.k) return diffKeyed(prev as Required<RenderedList>, next as Required<RenderedList>);
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

/**
 * Keyed list diff: each new item is matched with the old item of the same key
 * (duplicate keys fall back to new items), then diffed against it. The source
 * indices are sent as runs, so removing the first of 100 items costs `m: [1, 99]`
 * instead of 99 positional rewrites.
 */
function diffKeyed(prev: Required<RenderedList>, next: Required<RenderedList>): Change | undefined {
  const index = new Map<string, number>();
  for (let i = 0; i < prev.k.length; i++) if (!index.has(prev.k[i]!)) index.set(prev.k[i]!, i);
  const n = next.l.length;
  const src: number[] = new Array(n);
  let identity = true;
  for (let i = 0; i < n; i++) {
    const from = index.get(next.k[i]!);
    if (from === undefined) src[i] = -1;
    else {
      src[i] = from;
      index.delete(next.k[i]!);
    }
    if (src[i] !== i) identity = false;
  }
  const L: Record<number, Change> = {};
  let any = !identity || prev.l.length !== n;
  for (let i = 0; i < n; i++) {
    const c = src[i]! < 0 ? next.l[i]! : diffDynamic(prev.l[src[i]!]!, next.l[i]!);
    if (c !== undefined) {
      L[i] = c;
      any = true;
    }
  }
  if (!any) return undefined;
  return identity ? { L, n } : { L, n, m: runs(src) };
}

function runs(src: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < src.length; ) {
    const start = src[i]!;
    let j = i + 1;
    while (j < src.length && (start < 0 ? src[j]! < 0 : src[j] === start + (j - i))) j++;
    out.push(start, j - i);
    i = j;
  }
  return out;
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
