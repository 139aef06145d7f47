import { escapeForSlot, RawHtml, scalarToString, Template, TemplateError } from "./html";
import { slotKinds, type SlotKind } from "./slots";
import { staticsId } from "./statics";

/**
 * A render split into statics and dynamics, as sent on the wire.
 * - a string is a dynamic slot's final, escaped HTML;
 * - a node `{ s, d }` is a nested template: its statics id and its slots;
 * - a list `{ l }` is an array of dynamics rendered in one slot.
 * Statics travel once, in a table keyed by id, so an update carries only values.
 */
export type Dynamic = string | RenderedNode | RenderedList;

export interface RenderedNode {
  s: string;
  d: Dynamic[];
}

export interface RenderedList {
  l: Dynamic[];
}

export type StaticsTable = Record<string, readonly string[]>;

export interface Rendered {
  root: RenderedNode;
  statics: StaticsTable;
}

/** Renders a template into its statics/dynamics tree (synchronous: component renders are). */
export function renderTree(template: Template): Rendered {
  const statics: StaticsTable = {};
  const root = node(template, statics);
  return { root, statics };
}

function node(template: Template, statics: StaticsTable): RenderedNode {
  const { strings, values } = template;
  const id = staticsId(strings);
  statics[id] ??= strings;
  const kinds = slotKinds(strings);
  const d: Dynamic[] = new Array(values.length);
  for (let i = 0; i < values.length; i++) d[i] = dynamic(values[i], kinds[i]!, statics);
  return { s: id, d };
}

function dynamic(value: unknown, slot: SlotKind, statics: StaticsTable): Dynamic {
  const scalar = scalarToString(value);
  if (scalar !== undefined) return scalar === "" ? "" : escapeForSlot(scalar, slot);
  if (value instanceof RawHtml) return value.value;
  if (value instanceof Template) {
    if (slot.kind !== "text") throw new TemplateError("A nested template can only be placed in text position.");
    return node(value, statics);
  }
  if (Array.isArray(value)) {
    const l: Dynamic[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) l[i] = dynamic(value[i], slot, statics);
    return { l };
  }
  if (value instanceof Promise) throw new TemplateError("Async values need the async page renderer, not a synchronous render.");
  throw new TemplateError(`Cannot render a value of type ${Object.prototype.toString.call(value)} in a template.`);
}

/** Rebuilds HTML from a tree; the browser runtime does the same on its side. */
export function toHtml(dyn: Dynamic, statics: StaticsTable): string {
  if (typeof dyn === "string") return dyn;
  if ("l" in dyn) {
    let out = "";
    for (const item of dyn.l) out += toHtml(item, statics);
    return out;
  }
  const strings = statics[dyn.s];
  if (!strings) throw new TemplateError(`Unknown statics id ${dyn.s}`);
  let out = strings[0]!;
  for (let i = 0; i < dyn.d.length; i++) out += toHtml(dyn.d[i]!, statics) + strings[i + 1]!;
  return out;
}

/** Every statics id a tree uses. */
export function collectStatics(dyn: Dynamic, from: StaticsTable, into: StaticsTable = {}): StaticsTable {
  if (typeof dyn === "string") return into;
  if ("l" in dyn) {
    for (const item of dyn.l) collectStatics(item, from, into);
    return into;
  }
  if (!(dyn.s in into)) {
    const strings = from[dyn.s];
    if (strings) into[dyn.s] = strings;
  }
  for (const d of dyn.d) collectStatics(d, from, into);
  return into;
}
