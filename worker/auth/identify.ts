import { CURRENT_USER_ID } from "../app/tokens";
import type { Middleware } from "../http/compose";
import type { RequestContext } from "../http/context";
import { SESSION_SLOT, type SessionSlot } from "../http/session/slot";
import { AuthenticationError } from "./errors";
import type { Gate } from "./gate";
import { IDENTITY_SLOT, Identity, type IdentitySlot } from "./identity";
import { ApiTokens } from "./tokens/api-tokens";
import { bearerToken, TOKEN_PREFIX } from "./tokens/format";
import { SESSION_USER_KEY, type Authenticatable } from "./user";

const REFUSED = {
  malformed: "The API token is malformed.",
  unknown: "The API token is not valid.",
  revoked: "The API token was revoked.",
  expired: "The API token has expired.",
  "no-user": "The API token's user no longer exists.",
} as const;

/**
 * Finds out who is asking and sets `c.user` / `c.identity`: an
 * `Authorization: Bearer stratus_…` personal access token first (a bad one
 * is a 401 at once, so a client learns its token is dead rather than reading
 * public data as a guest; bearer values without the prefix belong to other
 * schemes and are left alone), else the session's `auth.user` id (needs session()
 * before it). Users come from the gate's UserProvider; a session naming a
 * user that no longer exists is a guest.
 */
export function identify<U extends Authenticatable>(gate: Gate<U>): Middleware {
  return async function identify(c, next) {
    const identity = (await tokenIdentity(c, gate)) ?? (await sessionIdentity(c, gate));
    // The slot is untyped storage; `c.identity` gives it back as the app's AuthUser (the gate's U).
    (c as RequestContext & IdentitySlot)[IDENTITY_SLOT] = identity as unknown as Identity;
    if (identity.user) c.container.value(CURRENT_USER_ID, identity.user.id);
    return next();
  };
}

async function tokenIdentity<U extends Authenticatable>(c: RequestContext, gate: Gate<U>): Promise<Identity<U> | undefined> {
  const bearer = bearerToken(c.request.headers);
  // Another bearer scheme (an admin route's own secret) is not ours to judge: leave it to its route.
  if (bearer === undefined || !bearer.startsWith(TOKEN_PREFIX)) return undefined;
  const result = await new ApiTokens(d1(c)).check(bearer);
  if (!result.ok) throw new AuthenticationError(REFUSED[result.reason], "invalid_token");
  if (result.touched) c.ctx.waitUntil(result.touched.catch((err: unknown) => c.log.warn("api token last_used_at update failed", { error: String(err) })));
  const user = await gate.users.find(result.token.userId, c.env);
  if (!user) throw new AuthenticationError(REFUSED["no-user"], "invalid_token");
  const { id, name, abilities } = result.token;
  return new Identity(user, "token", gate, { id, name, abilities });
}

async function sessionIdentity<U extends Authenticatable>(c: RequestContext, gate: Gate<U>): Promise<Identity<U>> {
  // Without session() there is no session to read: every non-token request is a guest.
  const session = (c as RequestContext & SessionSlot)[SESSION_SLOT];
  const id = session?.get(SESSION_USER_KEY);
  const user = typeof id === "string" ? await gate.users.find(id, c.env) : undefined;
  return user ? new Identity(user, "session", gate) : new Identity<U>(undefined, "none", gate);
}

function d1(c: RequestContext): D1Database {
  const binding = c.config.database.binding;
  const db = (c.env as unknown as Record<string, D1Database | undefined>)[binding];
  if (!db) throw new Error(`API tokens need the D1 binding ${binding} (config/database.ts).`);
  return db;
}
