import type { Middleware } from "../http/compose";
import type { RequestContext } from "../http/context";
import { AlreadyAuthenticatedError, AuthenticationError } from "./errors";

/** HTML navigations get redirects; everything else (fetch, API clients) gets problem+json. */
function wantsHtml(c: RequestContext): boolean {
  return (c.request.headers.get("accept") ?? "").includes("text/html") && c.request.headers.get("authorization") === null;
}

function redirect(location: string, status = 302): Response {
  return new Response(null, { status, headers: { location } });
}

/** Only same-site paths: an `intended` of `//evil.example` or `https://…` is dropped. */
export function safeIntended(value: string | null | undefined, fallback = "/"): string {
  return value && value.startsWith("/") && !value.startsWith("//") && !value.startsWith("/\\") ? value : fallback;
}

/**
 * Requires a user (identify() before it). Without one: a page GET is
 * redirected to `loginPath?intended=<this path>`, a page form post to
 * `loginPath` (303), anything else gets a 401 problem.
 */
export function auth(options: { loginPath?: string } = {}): Middleware {
  const login = options.loginPath ?? "/login";
  return function auth(c, next) {
    if (c.user !== undefined) return next();
    if (wantsHtml(c)) {
      // A form posted after the session ended goes to the sign-in page too (303: as a GET); only a GET is worth returning to.
      if (c.request.method !== "GET") return redirect(login, 303);
      return redirect(`${login}?intended=${encodeURIComponent(c.url.pathname + c.url.search)}`);
    }
    throw new AuthenticationError();
  };
}

/** Only for guests (the sign-in pages): a signed-in page request goes to `redirectTo`, others get a 403 problem. */
export function guest(options: { redirectTo?: string } = {}): Middleware {
  const to = options.redirectTo ?? "/";
  return function guest(c, next) {
    if (c.user === undefined) return next();
    if (wantsHtml(c)) return redirect(to);
    throw new AlreadyAuthenticatedError();
  };
}

/**
 * Requires the request to be allowed `ability`, on the subject `resolve`
 * returns (loaded from the params: `(c) => repo.findOrFail(c.params.id)`).
 * 401 without a user, 403 when the gate refuses or the token lacks the
 * ability. The resolved subject is left in `c.locals` under "subject".
 */
export function can(ability: string, resolve?: (c: RequestContext) => unknown): Middleware {
  return async function can(c, next) {
    const subject = resolve ? await resolve(c) : undefined;
    await c.identity.authorize(ability, subject);
    if (resolve) c.locals.set("subject", subject);
    return next();
  };
}
