import type { Dynamic, RenderedNode } from "./wire";

/**
 * The statics id of the node that wraps a viewer slot's value on the wire. Not a hash (those
 * are base 36), so it cannot collide with a call site; its statics are `["", ""]`, so a client
 * that knows nothing of viewer slots renders the wrapped value as is.
 */
export const VIEWER_SLOT_ID = "~v";
export const VIEWER_SLOT_STATICS: readonly string[] = ["", ""];

/**
 * A part of a live component's render that depends on the viewer (one connection, or one
 * user's tabs): rendered once per socket, while everything around it is rendered and diffed
 * once per commit. `render` receives what the component hands its slots (its viewer state).
 */
export class ViewerSlot<A = unknown> {
  constructor(readonly render: (viewer: A) => unknown) {}
}

export function isSlotNode(d: Dynamic): d is RenderedNode {
  return typeof d !== "string" && "s" in d && d.s === VIEWER_SLOT_ID;
}

/** Structural equality of two rendered values (slot values are small; this is what decides a patch). */
export function sameDynamic(a: Dynamic, b: Dynamic): boolean {
  if (a === b) return true;
  if (typeof a === "string" || typeof b === "string") return false;
  if ("s" in a) {
    if (!("s" in b) || a.s !== b.s || a.d.length !== b.d.length) return false;
    for (let i = 0; i < a.d.length; i++) if (!sameDynamic(a.d[i]!, b.d[i]!)) return false;
    return true;
  }
  if ("s" in b || a.l.length !== b.l.length) return false;
  for (let i = 0; i < a.l.length; i++) if (!sameDynamic(a.l[i]!, b.l[i]!)) return false;
  return true;
}
