import { compiled, nestedSite, type CompiledSite } from "./compiled";
import { RawHtml, scalarFor, Template, TemplateError } from "./html";
import { KeyedList } from "./keyed";
import { staticsId } from "./statics";
import { ViewerSlot } from "./viewer-slot";
import type { Dynamic, RenderedList, RenderedNode, StaticsTable } from "./wire";

export { toHtml, type Dynamic, type RenderedList, type RenderedNode, type StaticsTable } from "./wire";

export interface Rendered {
  root: RenderedNode;
  statics: StaticsTable;
}

/**
 * What a render does with a viewer slot: `render` turns a value the slot produced into its
 * dynamic (escaped for the slot's place in the markup), adding any statics to `statics`.
 */
export type SlotFill = (slot: ViewerSlot, render: (value: unknown, statics: StaticsTable) => Dynamic, statics: StaticsTable) => Dynamic;

/** Set for the duration of one synchronous renderTree call. */
let fill: SlotFill | undefined;

/**
 * Renders a template into its statics/dynamics tree (synchronous: component
 * renders are). Statics travel once, in a table keyed by id, so an update
 * carries only values. Viewer slots need a `slotFill` (live components give one).
 */
export function renderTree(template: Template, slotFill?: SlotFill): Rendered {
  const statics: StaticsTable = {};
  const outer = fill;
  fill = slotFill;
  try {
    const root = node(template, compiled(template.strings), statics);
    return { root, statics };
  } finally {
    fill = outer;
  }
}

function node(template: Template, site: CompiledSite, statics: StaticsTable): RenderedNode {
  const values = template.values;
  // The statics as rendered travel, and their content names them.
  const id = staticsId(site.statics);
  statics[id] ??= site.statics;
  const d: Dynamic[] = new Array(values.length);
  for (let i = 0; i < values.length; i++) d[i] = dynamic(values[i], site, i, statics);
  return { s: id, d };
}

function dynamic(value: unknown, site: CompiledSite, i: number, statics: StaticsTable): Dynamic {
  if (typeof value === "string") return value === "" ? value : site.escapers[i]!(value);
  if (value instanceof Template) return node(value, nestedSite(site, i, value.strings), statics);
  // Before scalars: in a `?attr=` position any object is truthy, and a slot must be filled first.
  if (value instanceof ViewerSlot) {
    if (!fill) throw new TemplateError("Viewer slots render only in a live component's render.");
    return fill(value, (v, table) => dynamic(v, site, i, table), statics);
  }
  const scalar = scalarFor(value, site, i);
  if (scalar !== undefined) return scalar;
  if (value instanceof RawHtml) return value.value;
  if (Array.isArray(value)) {
    const l: Dynamic[] = new Array(value.length);
    for (let j = 0; j < value.length; j++) l[j] = dynamic(value[j], site, i, statics);
    return { l };
  }
  if (value instanceof KeyedList) {
    const items = value.items;
    const l: Dynamic[] = new Array(items.length);
    for (let j = 0; j < items.length; j++) l[j] = dynamic(items[j], site, i, statics);
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
