import type { Middleware } from "../compose";
import type { RequestContext } from "../context";
import { LIVE_PATH_PREFIX } from "../../../durable-objects/realtime/protocol";
import { readCookie } from "../session/cookie";
import { CsrfError, expiredPage } from "./errors";
import { sameOrigin } from "./origin";

export interface CsrfOptions {
  /** Origins besides the request's own whose pages may post (another subdomain of the app). */
  trustedOrigins?: readonly string[];
  /** Paths (prefixes) to leave unchecked, such as a webhook receiver that uses cookies. */
  except?: readonly string[];
}

const SAFE = new Set(["GET", "HEAD", "OPTIONS", "TRACE"]);

/**
 * The live client's mount-token refresh (POST /live/:component/:key/token)
 * carries the session cookie but cannot carry the session's CSRF token. It
 * needs none: the route checks Origin itself, accepts only a signed mount
 * token for that instance, changes nothing, and the fresh token goes back
 * to the same-origin caller only.
 */
function isLiveRefresh(method: string, path: string): boolean {
  return method === "POST" && path.startsWith(LIVE_PATH_PREFIX) && path.endsWith("/token");
}
const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"];

/**
 * CSRF protection for browser sessions; goes after session(). A POST, PUT,
 * PATCH or DELETE that carries the session cookie must come from this origin
 * and carry the session's token (`_token` form field or `X-CSRF-Token`).
 * Requests without the cookie are exempt: a cross-site page cannot make a
 * browser send credentials it does not have, and API callers authenticate
 * with a bearer token. Live sockets need nothing: their upgrade is origin-
 * and mount-token-checked.
 */
export function csrf(options: CsrfOptions = {}): Middleware {
  const trusted = options.trustedOrigins ?? [];
  const except = options.except ?? [];
  return async function csrf(c, next) {
    if (SAFE.has(c.request.method)) return next();
    if (readCookie(c.request.headers.get("cookie"), c.config.session.cookie) === undefined) return next();
    if (except.some((prefix) => c.url.pathname.startsWith(prefix)) || isLiveRefresh(c.request.method, c.url.pathname)) return next();
    const failure = !sameOrigin(c.request, c.url, trusted)
      ? "The request came from another site."
      : await tokenProblem(c);
    if (failure === undefined) return next();
    c.log.warn("csrf check failed", { method: c.request.method, path: c.url.pathname, reason: failure });
    if (wantsHtml(c.request)) return expiredPage();
    throw new CsrfError(failure);
  };
}

async function tokenProblem(c: RequestContext): Promise<string | undefined> {
  const expected = c.session.get<string>("_token");
  const sent = c.request.headers.get("x-csrf-token") ?? (await formToken(c.request));
  if (sent === undefined || sent === "") return "The CSRF token is missing: send the _token field or the X-CSRF-Token header.";
  if (typeof expected !== "string" || !timingSafeEqual(sent, expected)) return "The CSRF token does not match this session.";
  return undefined;
}

/** The `_token` field of a form body, read from a clone so the handler still gets the body. */
async function formToken(request: Request): Promise<string | undefined> {
  const type = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase() ?? "";
  if (!FORM_TYPES.includes(type) || request.body === null) return undefined;
  try {
    const value = (await request.clone().formData()).get("_token");
    return typeof value === "string" ? value : undefined;
  } catch {
    return undefined;
  }
}

function wantsHtml(request: Request): boolean {
  return (request.headers.get("accept") ?? "").includes("text/html");
}

function timingSafeEqual(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  if (x.length !== y.length) return false;
  return crypto.subtle.timingSafeEqual(x, y);
}
