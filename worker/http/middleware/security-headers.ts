import { defineMiddleware, type Middleware } from "../compose";

/**
 * Defaults close to helmet's and Hono's secureHeaders. No Content-Security-Policy
 * by default: a useful one depends on the app's pages (pass `content-security-policy`).
 */
export const DEFAULT_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
  "origin-agent-cluster": "?1",
  "referrer-policy": "strict-origin-when-cross-origin",
  "strict-transport-security": "max-age=15552000; includeSubDomains",
  "x-content-type-options": "nosniff",
  "x-dns-prefetch-control": "off",
  "x-download-options": "noopen",
  "x-frame-options": "SAMEORIGIN",
  "x-permitted-cross-domain-policies": "none",
  "x-xss-protection": "0",
};

/** Header name to value, or `false` to drop one of the defaults. */
export type SecurityHeaderOptions = Record<string, string | false>;

/**
 * Adds security headers to every response. A header the handler already set
 * wins, so a page can relax one (say, framing) for itself.
 */
export function securityHeaders(options: SecurityHeaderOptions = {}): Middleware {
  const merged: Record<string, string | false> = { ...DEFAULT_SECURITY_HEADERS };
  for (const [name, value] of Object.entries(options)) merged[name.toLowerCase()] = value;
  // Computed once per factory call, not per request.
  const entries = Object.entries(merged).filter((e): e is [string, string] => e[1] !== false);
  return defineMiddleware({ name: "securityHeaders", headers: entries });
}
