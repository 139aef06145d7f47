const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
  "`": "&#96;",
};

const ESCAPE_RE = /[&<>"'`]/g;
const NEEDS_ESCAPE = /[&<>"'`]/;

/** Escapes for both text and quoted attribute values. */
export function escapeHtml(value: string): string {
  // Most dynamic values hold nothing to escape: skip the replace allocation.
  return NEEDS_ESCAPE.test(value) ? value.replace(ESCAPE_RE, (ch) => ESCAPES[ch]!) : value;
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
