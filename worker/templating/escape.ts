const NEEDS_ESCAPE = /[&<>"'`]/;

/**
 * Escapes for both text and quoted attribute values. Most values hold nothing
 * to escape and return after one scan; the rest are escaped in a char loop
 * (2-3x faster than `replace` with a callback, and this is the render's hot path).
 */
export function escapeHtml(value: string): string {
  const first = value.search(NEEDS_ESCAPE);
  if (first < 0) return value;
  let out = value.slice(0, first);
  let last = first;
  for (let i = first; i < value.length; i++) {
    let e: string;
    switch (value.charCodeAt(i)) {
      case 38: e = "&amp;"; break;
      case 60: e = "&lt;"; break;
      case 62: e = "&gt;"; break;
      case 34: e = "&quot;"; break;
      case 39: e = "&#39;"; break;
      case 96: e = "&#96;"; break;
      default: continue;
    }
    out += value.slice(last, i) + e;
    last = i + 1;
  }
  return out + value.slice(last);
}

/** Schemes that run code or smuggle documents when placed in a URL attribute. */
const SAFE_URL = /^(?:(?:https?|mailto|tel|sms|ftp):|[^a-z]|[a-z+.-]+(?:[^a-z+.\-:]|$))/i;

/**
 * Neutralises `javascript:`, `vbscript:`, `data:` and any other unknown scheme
 * in URL attributes. Browsers ignore whitespace and control characters inside
 * a scheme, so they are stripped before the check.
 */
export function sanitizeUrl(value: string): string {
  // eslint-disable-next-line no-control-regex
  const probe = value.replace(/[\u0000-\u0020\u007f-\u009f]/g, "");
  return SAFE_URL.test(probe) ? value : "about:blank#blocked";
}

/**
 * A value in a srcset: every comma starts a new image candidate, whose URL is checked like any
 * other; `atStart` says whether the value itself starts one.
 */
export function sanitizeUrlList(value: string, atStart: boolean): string {
  if (!value.includes(",")) return atStart ? sanitizeUrl(value) : value;
  return value
    .split(",")
    .map((part, i) => (i > 0 || atStart ? sanitizeUrl(part) : part))
    .join(",");
}

/** Comment text: also no `-`, so a value can neither end the comment nor leave it in a dash state. */
export function escapeComment(value: string): string {
  const out = escapeHtml(value);
  return out.includes("-") ? out.replaceAll("-", "&#45;") : out;
}

/**
 * A dynamic style value may be plain property values and declarations only: letters, digits,
 * spaces, `# % . , + - ! : ;`. Without `(`, a backslash, `/`, quotes and `<` there is no url(), image-set(),
 * expression(), escape, comment or string, so no fetch and no script; anything else renders empty.
 */
const CSS_SAFE = /^[\w\s#%.,+\-!:;]*$/;

export function sanitizeCss(value: string): string {
  return CSS_SAFE.test(value) ? value : "";
}
