import { escapeHtml, sanitizeUrl } from "./escape";
import { TemplateError } from "./html-errors";
import { slotKinds, type SlotKind } from "./slots";

/** How one slot turns a string into safe markup, chosen once per call site. */
export type Escaper = (value: string) => string;

export interface CompiledSite {
  kinds: SlotKind[];
  escapers: Escaper[];
  /** Slots where a number may be inserted as is (digits need no escaping in text or a plain attribute). */
  numberSafe: boolean[];
}

const UNQUOTED_UNSAFE = /[\s"'`=<>]/g;
const unquoted = (v: string) => v.replace(UNQUOTED_UNSAFE, (ch) => `&#${ch.charCodeAt(0)};`);

export function escaperFor(slot: SlotKind): Escaper {
  if (slot.kind === "text") return escapeHtml;
  if (slot.kind === "attr") {
    if (slot.handler) {
      return () => {
        throw new TemplateError(`A dynamic value in the event handler attribute "${slot.name}" would run as script; use data-action or raw() for trusted code.`);
      };
    }
    if (slot.url) return slot.quoted ? (v) => escapeHtml(sanitizeUrl(v)) : (v) => unquoted(escapeHtml(sanitizeUrl(v)));
    return slot.quoted ? escapeHtml : (v) => unquoted(escapeHtml(v));
  }
  if (slot.kind === "rawtext") {
    return () => {
      throw new TemplateError(`A dynamic value inside <${slot.tag}> cannot be escaped safely; pass trusted content with raw().`);
    };
  }
  return () => {
    throw new TemplateError("A dynamic value in tag position must be raw() markup or an attribute value.");
  };
}

const cache = new WeakMap<readonly string[], CompiledSite>();

/** A call site's slot contexts and escapers, computed on first use and cached by its statics array. */
export function compiled(strings: readonly string[]): CompiledSite {
  let site = cache.get(strings);
  if (site === undefined) {
    const kinds = slotKinds(strings);
    site = {
      kinds,
      escapers: kinds.map(escaperFor),
      numberSafe: kinds.map((k) => k.kind === "text" || (k.kind === "attr" && !k.handler)),
    };
    cache.set(strings, site);
  }
  return site;
}
