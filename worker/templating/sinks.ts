import { TemplateError } from "./html-errors";

/**
 * What an attribute does with its value, and whether a dynamic value may go there. Decided from the
 * element and attribute names, once per call site.
 */
export type Sink = "plain" | "url" | "urlList" | "style" | { refuse: string };

const URL_ATTRS = new Set(["href", "src", "action", "formaction", "xlink:href", "poster", "cite", "background", "ping", "data", "codebase", "manifest", "lowsrc", "dynsrc", "longdesc", "usemap", "icon", "classid", "archive", "profile"]);
const SVG_ANIMATION = new Set(["set", "animate", "animatemotion", "animatetransform"]);
const ANIMATION_VALUES = new Set(["to", "from", "by", "values", "attributename"]);

export function sinkFor(tag: string, name: string): Sink {
  if (name.startsWith("on")) return { refuse: `A dynamic value in the event handler attribute "${name}" would run as script; use data-action or raw() for trusted code.` };
  if (name === "srcdoc") return { refuse: 'A dynamic srcdoc is a whole HTML document, which attribute escaping does not make safe; pass trusted markup with raw().' };
  if ((tag === "script" && (name === "src" || name === "href" || name === "xlink:href")) || (tag === "base" && name === "href")) {
    return { refuse: `A dynamic <${tag} ${name}> decides which script runs or where every relative URL points; write it statically or pass a trusted URL with raw().` };
  }
  if (tag === "meta" && name === "http-equiv") return { refuse: "A dynamic http-equiv on <meta> can turn its content into a refresh or a policy; write it statically." };
  if (SVG_ANIMATION.has(tag) && ANIMATION_VALUES.has(name)) return { refuse: `A dynamic "${name}" on <${tag}> can animate another attribute (such as href) to any value; write it statically.` };
  if (name === "style") return "style";
  if (name === "srcset" || name === "imagesrcset") return "urlList";
  if (URL_ATTRS.has(name)) return "url";
  return "plain";
}

/** A meta tag with http-equiv may act on its content (a refresh to a URL, a policy): refuse its dynamic content. */
export const META_CONTENT_REFUSED = "A dynamic content on a <meta http-equiv> can be a refresh to any URL; write it statically.";

/** Pieces of one attribute value: static text and slot indexes, in order. */
export type ValuePart = string | number;

const SCHEME_CHAR = /[a-zA-Z0-9+.-]/;
const SAFE_SCHEME = /^(?:https?|mailto|tel|sms|ftp)$/i;

/**
 * Decides, for the whole value of a URL attribute, which slots decide its scheme (they are sanitized
 * as URLs) and which sit after a scheme the statics already fixed (plain escaping). A scheme that
 * could be assembled from several parts (`${a}:${b}`, `java${x}`, `${a}${b}`), a static scheme that
 * is not known safe, or a character reference before the scheme is fixed is refused for the call site.
 */
export function urlSlots(parts: readonly ValuePart[], list: boolean): Map<number, "scheme" | "rest"> {
  const out = new Map<number, "scheme" | "rest">();
  if (!parts.some((p) => typeof p === "number")) return out;
  let open = true;
  let prefix = "";
  let schemeSlot = -1;
  const split = () => new TemplateError("A URL attribute's scheme would be assembled from several parts; put the whole URL in one value, or start the value with a static scheme or path.");
  for (const part of parts) {
    if (typeof part === "number") {
      if (!open) out.set(part, "rest");
      else if (prefix !== "" || schemeSlot >= 0) throw split();
      else {
        out.set(part, "scheme");
        schemeSlot = part;
      }
      continue;
    }
    for (const c of part) {
      if (list && c === ",") {
        open = true;
        prefix = "";
        schemeSlot = -1;
        continue;
      }
      // Browsers drop tab and newline anywhere, and leading C0 controls and spaces.
      if (!open || c === "\t" || c === "\n" || c === "\r") continue;
      if (prefix === "" && schemeSlot < 0 && c <= " ") continue;
      if (c === "&") throw new TemplateError("A character reference before a URL's scheme is fixed hides the scheme from the check; write the characters themselves.");
      if (schemeSlot >= 0) {
        if (SCHEME_CHAR.test(c) || c === ":") throw split();
        open = false;
      } else if (c === ":") {
        if (/^[a-zA-Z]/.test(prefix) && !SAFE_SCHEME.test(prefix)) throw new TemplateError(`A dynamic value in a "${prefix}:" URL would run or smuggle content; only http(s), mailto, tel, sms and ftp URLs take values.`);
        open = false;
      } else if (SCHEME_CHAR.test(c) && (prefix !== "" || /[a-zA-Z]/.test(c))) prefix += c;
      else open = false;
    }
  }
  return out;
}
