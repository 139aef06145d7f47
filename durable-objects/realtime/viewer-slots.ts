import { collectStatics, type SlotFill } from "../../worker/templating/rendered";
import { VIEWER_SLOT_ID, VIEWER_SLOT_STATICS, type ViewerSlot } from "../../worker/templating/viewer-slot";
import type { Change, Dynamic, ListPatch, NodePatch, RenderedNode, StaticsTable } from "../../worker/templating/wire";

/** One viewer slot of a render: where it sits, how to render it for a viewer, what the default viewer sees. */
export interface SlotSite {
  /** Stable across renders while the slot stays put: node slots by index, keyed list items by key. */
  id: string;
  /** Indices from the root (node slots and list items) as the wire addresses them. */
  path: number[];
  /** The wrapped value for the default (initial) viewer, as the shared render carries it. */
  value: RenderedNode;
  render(arg: unknown, statics: StaticsTable): RenderedNode;
}

type Found = Map<RenderedNode, (arg: unknown, statics: StaticsTable) => RenderedNode>;

const wrap = (d: Dynamic): RenderedNode => ({ s: VIEWER_SLOT_ID, d: [d] });

/** A fill that renders each slot for `defaultArg` and remembers how to render it for anyone else. */
export function recordSlots(defaultArg: unknown): { fill: SlotFill; found: Found } {
  const found: Found = new Map();
  const fill: SlotFill = (slot: ViewerSlot, render, statics) => {
    const again = (arg: unknown, table: StaticsTable): RenderedNode => {
      table[VIEWER_SLOT_ID] ??= VIEWER_SLOT_STATICS;
      return wrap(render((slot as ViewerSlot<unknown>).render(arg), table));
    };
    const node = again(defaultArg, statics);
    found.set(node, again);
    return node;
  };
  return { fill, found };
}

/** Where the recorded slots ended up in the tree (one walk, only for renders that have slots). */
export function locateSlots(root: RenderedNode, found: Found): SlotSite[] {
  const out: SlotSite[] = [];
  if (found.size === 0) return out;
  const seen = new Map<string, number>();
  const walk = (d: Dynamic, path: number[], id: string): void => {
    if (typeof d === "string") return;
    if ("s" in d) {
      const render = found.get(d);
      if (render) {
        // Duplicate keys in a keyed list give two slots one id: number the repeats.
        const n = seen.get(id) ?? 0;
        seen.set(id, n + 1);
        out.push({ id: n === 0 ? id : `${id}#${n}`, path, value: d, render });
        return;
      }
      for (let i = 0; i < d.d.length; i++) walk(d.d[i]!, [...path, i], `${id}/${i}`);
      return;
    }
    for (let i = 0; i < d.l.length; i++) walk(d.l[i]!, [...path, i], d.k ? `${id}/k${JSON.stringify(d.k[i])}` : `${id}/${i}`);
  };
  walk(root, [], "");
  return out;
}

/** Slots whose value the shared change replaces (the slot, or a node or list item around it). */
export function touchedSlots(change: Change | undefined, slots: readonly SlotSite[]): Set<string> {
  const out = new Set<string>();
  for (const s of slots) {
    let c: Change | undefined = change;
    for (const step of s.path) {
      if (c === undefined || typeof c === "string" || "s" in c || "l" in c) break;
      c = "L" in c ? c.L[step] : c.d[step];
    }
    if (c !== undefined) out.add(s.id);
  }
  return out;
}

/** `change` with `value` set at `path` of `tree` (copy on write; `change` is not mutated). */
export function patchIn(change: Change | undefined, tree: Dynamic, path: readonly number[], value: Dynamic, k = 0): Change {
  if (k === path.length) return value;
  // Inside a part the shared change sends whole (a new list item): set the value in a copy of it.
  if (change !== undefined && (typeof change === "string" || "s" in change || "l" in change)) return setIn(change as Dynamic, path, value, k);
  const i = path[k]!;
  if (typeof tree === "string") throw new Error("A slot path runs through a string");
  if ("l" in tree) {
    const lp = change as ListPatch | undefined;
    return { ...(lp ?? { n: tree.l.length }), L: { ...lp?.L, [i]: patchIn(lp?.L[i], tree.l[i]!, path, value, k + 1) } };
  }
  const np = change as NodePatch | undefined;
  return { d: { ...np?.d, [i]: patchIn(np?.d[i], tree.d[i]!, path, value, k + 1) } };
}

function setIn(d: Dynamic, path: readonly number[], value: Dynamic, k: number): Dynamic {
  if (k === path.length) return value;
  const i = path[k]!;
  if (typeof d === "string") throw new Error("A slot path runs through a string");
  if ("l" in d) {
    const l = d.l.slice();
    l[i] = setIn(l[i]!, path, value, k + 1);
    return d.k ? { l, k: d.k } : { l };
  }
  const copy = d.d.slice();
  copy[i] = setIn(copy[i]!, path, value, k + 1);
  return { s: d.s, d: copy };
}

/** The statics a set of slot values uses (clients may not have seen those only one viewer renders). */
export function staticsOf(values: readonly Dynamic[], from: StaticsTable): StaticsTable {
  const into: StaticsTable = {};
  for (const v of values) collectStatics(v, from, into);
  return into;
}
