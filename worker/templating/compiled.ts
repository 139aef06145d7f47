import { escapeComment, escapeHtml, sanitizeCss, sanitizeUrl } from "./escape";
import { TemplateError } from "./html-errors";
import { siteShape, type SlotKind } from "./slots";

/** How one slot turns a string into safe markup, chosen once per call site. */
export type Escaper = (value: string) => string;

export interface CompiledSite {
  kinds: SlotKind[];
  /** The statics as rendered (see siteShape); both render paths and the wire use these. */
  statics: readonly string[];
  escapers: Escaper[];
  /** Slots where a number may be inserted as is (digits need no escaping in text or a plain attribute). */
  numberSafe: boolean[];
  /** What `true` and `false` render as: the words in an attribute value, nothing in text. */
  trueText: string[];
  falseText: string[];
}

const urlValue: Escaper = (v) => escapeHtml(sanitizeUrl(v));
const cssValue: Escaper = (v) => escapeHtml(sanitizeCss(v));

export function escaperFor(slot: SlotKind): Escaper {
  switch (slot.kind) {
    case "text":
    case "rcdata":
      return escapeHtml;
    case "comment":
      return escapeComment;
    case "attr":
      return slot.sink === "url" ? urlValue : slot.sink === "style" ? cssValue : escapeHtml;
    case "bool": {
      // A non-empty string is truthy: the attribute is present.
      const name = slot.name;
      return () => name;
    }
    case "refuse": {
      const reason = slot.reason;
      return () => {
        throw new TemplateError(reason);
      };
    }
  }
}

const cache = new WeakMap<readonly string[], CompiledSite>();

/** A call site's slot contexts and escapers, computed on first use and cached by its statics array. */
export function compiled(strings: readonly string[]): CompiledSite {
  let site = cache.get(strings);
  if (site === undefined) {
    const { kinds, statics } = siteShape(strings);
    site = {
      kinds,
      statics,
      escapers: kinds.map(escaperFor),
      numberSafe: kinds.map((k) => k.kind === "text" || k.kind === "rcdata" || k.kind === "attr"),
      trueText: kinds.map((k) => (k.kind === "attr" ? "true" : k.kind === "bool" ? k.name : "")),
      falseText: kinds.map((k) => (k.kind === "attr" ? "false" : "")),
    };
    cache.set(strings, site);
  }
  return site;
}
