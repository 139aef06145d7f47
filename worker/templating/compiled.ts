import { escapeComment, escapeHtml, sanitizeCss, sanitizeUrl, sanitizeUrlList } from "./escape";
import { TemplateError } from "./html-errors";
import { siteShape, type SlotKind } from "./slots";

/** How one slot turns a string into safe markup, chosen once per call site. */
export type Escaper = (value: string) => string;

export interface CompiledSite {
  kinds: SlotKind[];
  /** The statics as rendered (see siteShape); both render paths and the wire use these. */
  statics: readonly string[];
  /** Whether the site may be nested in a text slot (see SiteShape.closed). */
  closed: boolean;
  balanced: boolean;
  escapers: Escaper[];
  /** Slots where a number may be inserted as is (digits need no escaping in text or a plain attribute). */
  numberSafe: boolean[];
  /** What `true` and `false` render as: the words in an attribute value, nothing in text. */
  trueText: string[];
  falseText: string[];
}

const urlValue: Escaper = (v) => escapeHtml(sanitizeUrl(v));
const cssValue: Escaper = (v) => escapeHtml(sanitizeCss(v));
const listValue: Escaper = (v) => escapeHtml(sanitizeUrlList(v, true));
const listRestValue: Escaper = (v) => escapeHtml(sanitizeUrlList(v, false));
const ATTR_ESCAPERS = { plain: escapeHtml, url: urlValue, style: cssValue, list: listValue, listRest: listRestValue } as const;

export function escaperFor(slot: SlotKind): Escaper {
  switch (slot.kind) {
    case "text":
    case "rcdata":
      return escapeHtml;
    case "comment":
      return escapeComment;
    case "attr":
      return ATTR_ESCAPERS[slot.sink];
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
    const { kinds, statics, closed, balanced } = siteShape(strings);
    site = {
      kinds,
      statics,
      closed,
      balanced,
      escapers: kinds.map(escaperFor),
      numberSafe: kinds.map((k) => k.kind === "text" || k.kind === "rcdata" || k.kind === "attr"),
      trueText: kinds.map((k) => (k.kind === "attr" ? "true" : k.kind === "bool" ? k.name : "")),
      falseText: kinds.map((k) => (k.kind === "attr" ? "false" : "")),
    };
    cache.set(strings, site);
  }
  return site;
}

/**
 * The site of a template nested in slot `i` of `outer`: only a text slot takes one, and only a
 * template that ends outside any tag, comment, raw text or foreign content, since the outer
 * template's statics are read as if it did.
 */
export function nestedSite(outer: CompiledSite, i: number, strings: readonly string[]): CompiledSite {
  const slot = outer.kinds[i]!;
  if (slot.kind !== "text") throw new TemplateError("A nested template can only be placed in text position.");
  const site = compiled(strings);
  if (!site.closed) throw new TemplateError("A nested template must end outside any tag, attribute, comment, raw-text element or <svg>/<math>; close what it opens.");
  // In SVG or MathML an end tag can close an outer element and move the outer statics out of it.
  if (slot.foreign && !site.balanced) throw new TemplateError("A nested template inside <svg> or <math> may only close elements it opens.");
  return site;
}
