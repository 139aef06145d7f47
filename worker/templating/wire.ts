/**
 * The statics/dynamics tree as it travels on the wire, and the two pure
 * functions both ends share: rebuilding HTML and applying a diff. This file
 * imports nothing, so the browser runtime bundles exactly this code and the
 * client and server cannot drift apart.
 *
 * - a string is a dynamic slot's final, escaped HTML;
 * - a node `{ s, d }` is a nested template: its statics id and its slots;
 * - a list `{ l }` is an array of dynamics rendered in one slot; `k` holds
 *   item keys when the list was built with `keyed()` (a diff hint: clients
 *   ignore it and `applyChange` does not carry it).
 */
export type Dynamic = string | RenderedNode | RenderedList;

export interface RenderedNode {
  s: string;
  d: Dynamic[];
}

export interface RenderedList {
  l: Dynamic[];
  k?: string[];
}

export type StaticsTable = Record<string, readonly string[]>;

/**
 * What changed between two renders, slot by slot:
 * - a string, or a full node `{ s, d }` / list `{ l }`: replace the slot;
 * - `{ d: { [slot]: Change } }`: patch a node whose statics stayed the same;
 * - `{ L: { [index]: Change }, n, m? }`: patch a list, `n` its new length. Without
 *   `m` the patch is positional. With `m` (keyed lists) the new list is first
 *   assembled from runs of the old one: pairs `[from, count]`, `from = -1`
 *   meaning `count` new items whose full content is in `L`.
 */
export type Change = Dynamic | NodePatch | ListPatch;
export interface NodePatch {
  d: Record<number, Change>;
}
export interface ListPatch {
  L: Record<number, Change>;
  n: number;
  m?: number[];
}

/** Rebuilds HTML from a tree. */
export function toHtml(dyn: Dynamic, statics: StaticsTable): string {
  if (typeof dyn === "string") return dyn;
  if ("l" in dyn) {
    let out = "";
    for (const item of dyn.l) out += toHtml(item, statics);
    return out;
  }
  const strings = statics[dyn.s];
  if (!strings) throw new Error(`Unknown statics id ${dyn.s}`);
  let out = strings[0]!;
  for (let i = 0; i < dyn.d.length; i++) out += toHtml(dyn.d[i]!, statics) + strings[i + 1]!;
  return out;
}

/** Applies a patch to a tree, returning the new tree (the input is not mutated). */
export function applyChange(prev: Dynamic, change: Change): Dynamic {
  if (typeof change === "string" || "s" in change || "l" in change) return change as Dynamic;
  if ("L" in change) {
    const old = typeof prev !== "string" && "l" in prev ? prev.l : [];
    const base = change.m ? assemble(old, change.m) : old;
    const l: Dynamic[] = new Array(change.n);
    for (let i = 0; i < change.n; i++) {
      const c = change.L[i];
      const b = i < base.length ? base[i] : undefined;
      if (c === undefined) {
        if (b === undefined) throw new Error(`List patch leaves item ${i} empty`);
        l[i] = b;
      } else l[i] = b === undefined ? (c as Dynamic) : applyChange(b, c);
    }
    return { l };
  }
  if (typeof prev === "string" || !("s" in prev)) throw new Error("Cannot patch a slot that is not a node");
  const d = prev.d.slice();
  for (const k in change.d) d[Number(k)] = applyChange(d[Number(k)]!, change.d[k]!);
  return { s: prev.s, d };
}

function assemble(old: readonly Dynamic[], runs: readonly number[]): (Dynamic | undefined)[] {
  const out: (Dynamic | undefined)[] = [];
  for (let r = 0; r + 1 < runs.length; r += 2) {
    const from = runs[r]!;
    const count = runs[r + 1]!;
    for (let j = 0; j < count; j++) out.push(from < 0 ? undefined : old[from + j]);
  }
  return out;
}
