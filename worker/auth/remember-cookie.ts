import type { RequestContext } from "../http/context";
import { readCookie, serializeCookie } from "../http/session/cookie";

/**
 * Set-Cookie lines that login()/logout() queue for the response. The
 * rememberMe() middleware owns the queue and writes it out, so a handler can
 * sign a user in without touching the response.
 */
const QUEUE = "stratus.auth.cookies";

type CookieContext = Pick<RequestContext, "request" | "config" | "locals">;

export function rememberCookie(c: CookieContext): string | undefined {
  return readCookie(c.request.headers.get("cookie"), c.config.login.remember.cookie);
}

export function hasCookieQueue(c: CookieContext): boolean {
  return c.locals.has(QUEUE);
}

export function requireCookieQueue(c: CookieContext): string[] {
  const queue = c.locals.get(QUEUE) as string[] | undefined;
  if (!queue) throw new Error("Remember-me needs the rememberMe() middleware (after session(), before the routes).");
  return queue;
}

export function openCookieQueue(c: CookieContext): string[] {
  const queue: string[] = [];
  c.locals.set(QUEUE, queue);
  return queue;
}

/** The remember-me cookie: HttpOnly, SameSite=Lax, Secure as the session cookie is. `value` undefined clears it. */
export function queueRememberCookie(c: CookieContext, value: string | undefined, expiresAt = 0): void {
  const queue = requireCookieQueue(c);
  const cfg = c.config.session;
  const attrs = { secure: cfg.secure, ...(cfg.domain ? { domain: cfg.domain } : {}) };
  const name = c.config.login.remember.cookie;
  // Later lines for the same cookie replace earlier ones in the browser; keep only the last.
  const kept = queue.filter((line) => !line.startsWith(`${name}=`));
  kept.push(value === undefined ? serializeCookie(name, "", { ...attrs, maxAge: 0 }) : serializeCookie(name, value, { ...attrs, maxAge: (expiresAt - Date.now()) / 1000 }));
  queue.splice(0, queue.length, ...kept);
}
