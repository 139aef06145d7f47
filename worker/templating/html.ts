import { escapeHtml, sanitizeUrl } from "./escape";
import { KeyedList } from "./keyed";
import { slotKinds, type SlotKind } from "./slots";

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

export class TemplateError extends Error {
  override name = "TemplateError";
}

const UNQUOTED_UNSAFE = /[\s"'`=<>]/g;

/** Escapes a plain value for the slot it sits in. */
export function escapeForSlot(value: string, slot: SlotKind): string {
  if (slot.kind === "text") return escapeHtml(value);
  if (slot.kind === "attr") {
    if (slot.handler) {
      throw new TemplateError(`A dynamic value in the event handler attribute "${slot.name}" would run as script; use data-action or raw() for trusted code.`);
    }
    const v = escapeHtml(slot.url ? sanitizeUrl(value) : value);
    return slot.quoted ? v : v.replace(UNQUOTED_UNSAFE, (ch) => `&#${ch.charCodeAt(0)};`);
  }
  if (slot.kind === "rawtext") {
    throw new TemplateError(`A dynamic value inside <${slot.tag}> cannot be escaped safely; pass trusted content with raw().`);
  }
  throw new TemplateError("A dynamic value in tag position must be raw() markup or an attribute value.");
}

/** Plain values become text; nothing, false and true render as nothing (for `${cond && html`...`}`). */
export function scalarToString(value: unknown): string | undefined {
  if (value === null || value === undefined || value === false || value === true) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  return undefined;
}

/** Renders a template (nested templates, arrays, raw) to an HTML string. */
export function renderToString(template: Template): string {
  const { strings, values } = template;
  const kinds = slotKinds(strings);
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) {
    out += valueToString(values[i], kinds[i]!) + strings[i + 1]!;
  }
  return out;
}

function valueToString(value: unknown, slot: SlotKind): string {
  const scalar = scalarToString(value);
  if (scalar !== undefined) return scalar === "" ? "" : escapeForSlot(scalar, slot);
  if (value instanceof RawHtml) return value.value;
  if (value instanceof Template) {
    if (slot.kind !== "text") throw new TemplateError("A nested template can only be placed in text position.");
    return renderToString(value);
  }
  if (Array.isArray(value) || value instanceof KeyedList) {
    const items: readonly unknown[] = Array.isArray(value) ? value : value.items;
    let out = "";
    for (let i = 0; i < items.length; i++) out += valueToString(items[i], slot);
    return out;
  }
  if (value instanceof Promise) throw new TemplateError("Async values need the async page renderer, not a synchronous render.");
  throw new TemplateError(`Cannot render a value of type ${Object.prototype.toString.call(value)} in a template.`);
}
