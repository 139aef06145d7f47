import type { RequestContext } from "../http/context";
import { ForbiddenError, UnauthorizedError } from "../http/errors";
import { MountTokenError, verifyMountToken, type MountClaims } from "../../durable-objects/realtime/mount-token";
import { IDENTITY_SLOT, type IdentitySlot } from "../auth/identity";

/** Live connections and token refreshes come only from the app's own pages (or listed origins). */
export function checkOrigin(c: RequestContext, what: string): void {
  const origin = c.request.headers.get("origin");
  if (!origin || (origin !== c.url.origin && !c.config.components.allowedOrigins.includes(origin))) {
    throw new ForbiddenError(`Origin ${origin ?? "(none)"} may not ${what}.`);
  }
}

/**
 * The claims of a mount token signed for this component and key, and, when it names a user, used
 * by that user: every route a token opens (socket, refresh, uploads) goes through here.
 */
export async function verified(
  c: RequestContext,
  expect: { component: string; key: string },
  token: string,
  what: string,
  opts: { graceSeconds?: number; renew?: boolean } = {},
): Promise<MountClaims> {
  let claims: MountClaims;
  try {
    claims = await verifyMountToken(c.config.app.key, token, expect, Date.now(), opts.graceSeconds ?? 0);
  } catch (err) {
    if (err instanceof MountTokenError) throw new UnauthorizedError(err.message);
    throw err;
  }
  // Renewing a user's token needs that user signed in now: an app that identifies no one renews none.
  checkBoundUser(claims, opts.renew ? (requestIdentity(c) ?? { user: undefined }) : requestIdentity(c), what);
  return claims;
}

/**
 * The request's user as identify() found it (from the session, re-read on
 * every request), or `undefined` when the app does not identify users.
 */
function requestIdentity(c: RequestContext): { user: string | undefined } | undefined {
  const identity = (c as RequestContext & IdentitySlot)[IDENTITY_SLOT];
  return identity === undefined ? undefined : { user: identity.user?.id };
}

/**
 * A user-bound mount token is good only for that user: a token copied out of
 * another user's page (or kept past a sign-out) opens nothing. An anonymous
 * token may be used by anyone, since it grants nothing user-specific.
 */
function checkBoundUser(claims: MountClaims, current: { user: string | undefined } | undefined, what: string): void {
  if (claims.u === undefined || current === undefined || claims.u === current.user) return;
  throw new UnauthorizedError(`This mount token was issued to another identity than this request's: sign in as its user to ${what} (or reload the page).`);
}


