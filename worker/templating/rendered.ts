import { escapeForSlot, RawHtml, scalarToString, Template, TemplateError } from "./html";
import { KeyedList } from "./keyed";
import { slotKinds, type SlotKind } from "./slots";
import { staticsId } from "./statics";
import type { Dynamic, RenderedList, RenderedNode, StaticsTable } from "./wire";

export { toHtml, type Dynamic, type RenderedList, type RenderedNode, type StaticsTable } from "./wire";

export interface Rendered {
  root: RenderedNode;
  statics: StaticsTable;
}

/**
 * Renders a template into its statics/dynamics tree (synchronous: component
 * renders are). Statics travel once, in a table keyed by id, so an update
 * carries only values.
 */
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
  if (value instanceof KeyedList) {
    const items = value.items;
    const l: Dynamic[] = new Array(items.length);
    for (let i = 0; i < items.length; i++) l[i] = dynamic(items[i], slot, statics);
    const list: RenderedList = { l, k: value.keys.slice() };
    return list;
  }
  if (value instanceof Promise) throw new TemplateError("Async values need the async page renderer, not a synchronous render.");
  throw new TemplateError(`Cannot render a value of type ${Object.prototype.toString.call(value)} in a template.`);
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
