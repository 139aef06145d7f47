import type { RequestContext } from "../http/context";
import { AUTH_USER_KEY } from "../http/session/auth-key";
import { authDatabase } from "./database";
import { hasCookieQueue, queueRememberCookie, rememberCookie, requireCookieQueue } from "./remember-cookie";
import { RememberTokens } from "./remember-tokens";

export interface LoginOptions {
  /** Also issue a remember-me cookie (needs the rememberMe() middleware). */
  remember?: boolean;
}

type AuthContext = Pick<RequestContext, "session" | "request" | "config" | "locals" | "env">;

/**
 * Signs `userId` in: a new session id (a fixated id stops working), the user
 * under "auth.user", a new CSRF token, and a remember-me token when asked.
 * A remember-me cookie the browser already had (another user's, say) is revoked.
 */
export async function login(c: AuthContext, userId: string, options: LoginOptions = {}): Promise<void> {
  if (options.remember) requireCookieQueue(c);
  startSession(c, userId);
  const previous = rememberCookie(c);
  // D1 is reached only when remember-me is in play, so an app without it needs no sign-in tables.
  if (previous === undefined && !options.remember) return;
  const tokens = new RememberTokens(authDatabase(c));
  if (previous !== undefined) await tokens.revoke(previous);
  if (options.remember) {
    const issued = await tokens.issue(userId, c.config.login.remember.days * 86_400_000);
    queueRememberCookie(c, issued.cookie, issued.expiresAt);
  } else if (previous !== undefined && hasCookieQueue(c)) {
    queueRememberCookie(c, undefined);
  }
}

/** The session half of login(): new id, the user, a new CSRF token. */
export function startSession(c: Pick<RequestContext, "session">, userId: string): void {
  c.session.regenerate();
  c.session.put(AUTH_USER_KEY, userId);
  c.session.regenerateToken();
}

/** Signs out: the session's data and id are dropped, and this device's remember-me token is revoked and its cookie cleared. */
export async function logout(c: AuthContext): Promise<void> {
  c.session.invalidate();
  const cookie = rememberCookie(c);
  if (cookie === undefined) return;
  await new RememberTokens(authDatabase(c)).revoke(cookie);
  if (hasCookieQueue(c)) queueRememberCookie(c, undefined);
}

/** The signed-in user's id from the session, or undefined: the one reader of the session's `auth.user` (identify() and rememberMe() build on it; routes read `c.user`). */
export function sessionUserId(c: Pick<RequestContext, "session">): string | undefined {
  const id = c.session.get(AUTH_USER_KEY);
  return typeof id === "string" ? id : undefined;
}
