import { defineModule } from "../app/module";
import type { RequestContext } from "../http/context";
import { readJson } from "../http/body";
import { BadRequestError, HttpError, ForbiddenError, UnauthorizedError } from "../http/errors";
import type { VerifiedMount } from "../../durable-objects/realtime/caller-header";
import { RelayRouter } from "./relay-router";
import { MountTokenError, REFRESH_GRACE_SECONDS, signMountToken, verifyMountToken, type MountClaims } from "../../durable-objects/realtime/mount-token";
import { COMPONENT_REGISTRY } from "../templating/tokens";
import { isDevEnv } from "../dev/environments";
import { seenInstances } from "../dev/instances";

/** Live connections and token refreshes come only from the app's own pages (or listed origins). */
function checkOrigin(c: RequestContext, what: string): void {
  const origin = c.request.headers.get("origin");
  if (!origin || (origin !== c.url.origin && !c.config.components.allowedOrigins.includes(origin))) {
    throw new ForbiddenError(`Origin ${origin ?? "(none)"} may not ${what}.`);
  }
}

async function verified(c: RequestContext, expect: { component: string; key: string }, token: string, graceSeconds = 0): Promise<MountClaims> {
  try {
    return await verifyMountToken(c.config.app.key, token, expect, Date.now(), graceSeconds);
  } catch (err) {
    if (err instanceof MountTokenError) throw new UnauthorizedError(err.message);
    throw err;
  }
}

/**
 * The identity of the current request. Sign-in does not exist yet, so every
 * request is anonymous; when it does, this returns the session's user and a
 * user-bound token refreshes for that user only.
 */
function requestUser(_c: RequestContext): string | undefined {
  return undefined;
}

/**
 * GET /live/:component/:key — the WebSocket upgrade for a live mount. Checks
 * Origin and the signed mount token before anything reaches the object, then
 * forwards a freshly built Request (never the router's) carrying the verified
 * identity, to the component's object or to one of its relays (relay-router.ts).
 *
 * POST /live/:component/:key/token — exchanges a mount token (expired by at
 * most REFRESH_GRACE_SECONDS, but signed for this component and key) for a
 * fresh one, so a long-open page keeps its socket and its queued actions.
 */
export const liveModule = defineModule({
  name: "live",
  routes(router) {
    router.get(
      "/live/:component/:key",
      async (c) => {
        const { component, key } = c.params;
        if (c.request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
          throw new HttpError(426, { detail: "Live connections are WebSocket upgrades.", headers: { upgrade: "websocket" } });
        }
        const binding = c.resolve(COMPONENT_REGISTRY).binding(component);
        checkOrigin(c, "open live connections");
        const token = c.query.get("token");
        if (!token) throw new UnauthorizedError("A live connection needs the mount token the page was rendered with.");
        const user = (await verified(c, { component, key }, token)).u;
        // The development dashboard lists the instances this isolate has connected sockets to.
        if (isDevEnv(c.config.app.env)) seenInstances.record(component, key);
        const mount: VerifiedMount = { component: component, key: key, ...(user !== undefined ? { user } : {}) };
        return new RelayRouter(c.env, c.config.cluster).connect(c.request, mount, binding);
      },
      { name: "live" },
    );
    router.post(
      "/live/:component/:key/token",
      async (c) => {
        const { component, key } = c.params;
        // Unknown component: 404 before anything else, as for the upgrade.
        c.resolve(COMPONENT_REGISTRY).namespace(component);
        checkOrigin(c, "refresh live tokens");
        const body = await readJson<unknown>(c);
        const token = typeof body === "object" && body !== null && !Array.isArray(body) ? (body as { token?: unknown }).token : undefined;
        if (typeof token !== "string" || token === "") throw new BadRequestError('The body must be JSON {"token": "<the current mount token>"}.');
        const claims = await verified(c, { component, key }, token, REFRESH_GRACE_SECONDS);
        const user = requestUser(c);
        if (claims.u !== user) throw new UnauthorizedError("This mount token belongs to another identity than this request's: sign in as its user to refresh it.");
        const ttlSeconds = c.config.components.tokenTtl;
        const now = Date.now();
        const fresh = await signMountToken(c.config.app.key, { component: component, key: key, ttlSeconds, ...(user !== undefined ? { user } : {}) }, now);
        return { token: fresh, expiresAt: (Math.floor(now / 1000) + ttlSeconds) * 1000 };
      },
      { name: "live.token" },
    );
  },
});
