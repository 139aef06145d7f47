import { safeIntended, type RequestContext } from "stratus";

const INTENDED = "url.intended";

/**
 * GET /login?intended=/path (where auth() sends a guest): kept in the session
 * until sign-in, by password or OAuth, so the form's POST and the provider's
 * callback need not carry it. Only same-site paths are kept.
 */
export function keepIntended(c: RequestContext): void {
  const asked = c.query.get("intended");
  if (asked !== null) c.session.put(INTENDED, safeIntended(asked, "/account"));
}

/** Where to go after signing in: the page that sent the user to /login, else /account. */
export function intendedUrl(c: RequestContext): string {
  return safeIntended(c.session.pull<string>(INTENDED), "/account");
}
