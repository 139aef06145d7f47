import type { Middleware } from "../http/compose";
import type { RequestContext } from "../http/context";
import { authDatabase } from "./database";
import { sessionUserId, startSession } from "./login";
import { openCookieQueue, queueRememberCookie, rememberCookie } from "./remember-cookie";
import { RememberTokens } from "./remember-tokens";

/**
 * Remember-me: goes after session() (and csrf()), before identify(). When the
 * session has no signed-in user but the request carries a remember-me cookie,
 * the token is checked in D1 and, if good, rotated and the user signed in
 * again (a new session id). A copied cookie (its previous validator reused)
 * revokes every remember-me token of that user. It also writes the cookies
 * login() and logout() queue.
 */
export function rememberMe(): Middleware {
  // Not async on the way through: a request without the cookie costs one promise, for login()'s cookies.
  return function rememberMe(c, next) {
    const queue = openCookieQueue(c);
    const cookie = rememberCookie(c);
    // Not on a WebSocket upgrade: its response carries no cookies, so a rotated validator would be lost.
    if (cookie === undefined || sessionUserId(c) !== undefined || c.request.headers.get("upgrade")?.toLowerCase() === "websocket") return next().then((res) => flush(res, queue));
    return restore(c, cookie).then(next).then((res) => flush(res, queue));
  };
}

/** Signs the cookie's user back in (rotating it), or clears a cookie that is no good. */
async function restore(c: RequestContext, cookie: string): Promise<void> {
  const result = await new RememberTokens(authDatabase(c)).use(cookie);
  if (result.status === "valid") {
    startSession(c, result.userId);
    queueRememberCookie(c, result.cookie, result.expiresAt);
  } else if (result.status === "stolen") {
    c.log.warn("remember-me token reused after rotation: all of the user's remember-me tokens revoked", { userId: result.userId });
    queueRememberCookie(c, undefined);
  } else if (result.status === "invalid") {
    queueRememberCookie(c, undefined);
  }
}

function flush(res: Response, queue: readonly string[]): Response {
  if (queue.length === 0 || res.status === 101) return res;
  const out = mutable(res);
  for (const line of queue) out.headers.append("set-cookie", line);
  return out;
}

/** Responses from fetch() or the Cache API have immutable headers. */
function mutable(res: Response): Response {
  try {
    res.headers.append("vary", "Cookie");
    return res;
  } catch {
    const copy = new Response(res.body, res);
    copy.headers.append("vary", "Cookie");
    return copy;
  }
}
