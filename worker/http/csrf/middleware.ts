import type { Middleware, Next } from "../compose";
import type { RequestContext } from "../context";
import { LIVE_PATH_PREFIX } from "../../../durable-objects/realtime/protocol";
import { readCookie } from "../session/cookie";
import { sameText } from "../session/sealed";
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
 * The live routes' writes (the mount-token refresh POST /live/:component/:key/token and the uploads
 * under /live/:component/:key/uploads) carry the session cookie but not the session's CSRF token.
 * They need none: each checks Origin itself and is authorised by a signed mount token for that
 * instance (in the body or the x-stratus-token header), which a page on another site cannot read,
 * so the token does the CSRF token's work.
 */
function isLiveWrite(path: string): boolean {
  return path.startsWith(LIVE_PATH_PREFIX) && LIVE_WRITE.test(path.slice(LIVE_PATH_PREFIX.length));
}
/** `<component>/<key>/token` and `<component>/<key>/uploads[/…]`: the live routes that write. */
const LIVE_WRITE = /^[^/]+\/[^/]+\/(?:token|uploads(?:\/.*)?)$/;
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
  // Not async on the way through: a safe or cookie-less request costs no extra promise.
  return function csrf(c, next) {
    if (SAFE.has(c.request.method)) return next();
    if (readCookie(c.request.headers.get("cookie"), c.config.session.cookie) === undefined) return next();
    if (except.some((prefix) => c.url.pathname.startsWith(prefix)) || isLiveWrite(c.url.pathname)) return next();
    return check(c, next, trusted);
  };
}

async function check(c: RequestContext, next: Next, trusted: readonly string[]): Promise<Response> {
  const failure = !sameOrigin(c.request, c.url, trusted) ? "The request came from another site." : await tokenProblem(c);
  if (failure === undefined) return next();
  c.log.warn("csrf check failed", { method: c.request.method, path: c.url.pathname, reason: failure });
  if (wantsHtml(c.request)) return expiredPage();
  throw new CsrfError(failure);
}

async function tokenProblem(c: RequestContext): Promise<string | undefined> {
  const expected = c.session.get<string>("_token");
  const sent = c.request.headers.get("x-csrf-token") ?? (await formToken(c.request));
  if (sent === undefined || sent === "") return "The CSRF token is missing: send the _token field or the X-CSRF-Token header.";
  if (typeof expected !== "string" || !sameText(sent, expected)) return "The CSRF token does not match this session.";
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

