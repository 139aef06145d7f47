import { compiled, nestedSite, type CompiledSite } from "./compiled";
import { TemplateError } from "./html-errors";
import { KeyedList } from "./keyed";
import { ViewerSlot } from "./viewer-slot";

export { TemplateError };

/** Trusted markup that is inserted as is. Only ever wrap strings you control. */
export class RawHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export function raw(value: string): RawHtml {
  return new RawHtml(value);
}

/**
 * The result of an `html` call: the call site's statics (the same array on
 * every call, which is what makes diffs cheap) and this call's dynamic values.
 */
export class Template {
  constructor(
    readonly strings: TemplateStringsArray | readonly string[],
    readonly values: readonly unknown[],
  ) {}

  toString(): string {
    return renderToString(this);
  }
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Template {
  return new Template(strings, values);
}

/**
 * A value that is not a string or template, as the slot renders it, or undefined for lists, raw
 * markup and other objects. Nothing renders as nothing; `true`/`false` as the words in an attribute
 * value and as nothing in text (for `${cond && html`...`}`); a `?name=` slot as its name when truthy.
 */
export function scalarFor(value: unknown, site: CompiledSite, i: number): string | undefined {
  if (site.kinds[i]!.kind === "bool") return value ? site.trueText[i]! : "";
  if (value === null || value === undefined) return "";
  if (value === true) return site.trueText[i]!;
  if (value === false) return site.falseText[i]!;
  if (typeof value === "number") return site.numberSafe[i] ? String(value) : site.escapers[i]!(String(value));
  if (typeof value === "bigint") return site.escapers[i]!(String(value));
  return undefined;
}

/** Renders a template (nested templates, arrays, raw) to an HTML string. */
export function renderToString(template: Template): string {
  return renderSite(template, compiled(template.strings));
}

function renderSite(template: Template, site: CompiledSite): string {
  const values = template.values;
  const statics = site.statics;
  let out = statics[0]!;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    // The common cases first, without a call: strings and nested templates.
    if (typeof v === "string") out += v === "" ? v : site.escapers[i]!(v);
    else if (v instanceof Template) out += renderSite(v, nestedSite(site, i, v.strings));
    else out += valueToString(v, site, i);
    out += statics[i + 1]!;
  }
  return out;
}

function valueToString(value: unknown, site: CompiledSite, i: number): string {
  const scalar = scalarFor(value, site, i);
  if (scalar !== undefined) return scalar;
  if (typeof value === "string") return value === "" ? value : site.escapers[i]!(value);
  if (value instanceof Template) return renderSite(value, nestedSite(site, i, value.strings));
  if (value instanceof RawHtml) return value.value;
  if (Array.isArray(value) || value instanceof KeyedList) {
    const items: readonly unknown[] = Array.isArray(value) ? value : value.items;
    let out = "";
    for (let j = 0; j < items.length; j++) out += valueToString(items[j], site, i);
    return out;
  }
  if (value instanceof Promise) throw new TemplateError("Async values need the async page renderer, not a synchronous render.");
  if (value instanceof ViewerSlot) throw new TemplateError("Viewer slots render only in a live component's render.");
  throw new TemplateError(`Cannot render a value of type ${Object.prototype.toString.call(value)} in a template.`);
}
