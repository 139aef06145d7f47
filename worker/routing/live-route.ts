import { defineModule } from "../app/module";
import type { RequestContext } from "../http/context";
import { readJson } from "../http/body";
import { BadRequestError, HttpError, UnauthorizedError } from "../http/errors";
import type { VerifiedMount } from "../../durable-objects/realtime/caller-header";
import { REFRESH_GRACE_SECONDS, signMountToken } from "../../durable-objects/realtime/mount-token";
import { checkOrigin, verified } from "./live-auth";
import { RelayRouter } from "./relay-router";
import { uploadRoutes } from "./live-uploads";
import { uploadSweepProvider } from "./upload-sweep";
import { COMPONENT_REGISTRY } from "../templating/tokens";
import { isDevEnv } from "../dev/environments";
import { seenInstances } from "../dev/instances";

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
  providers: [uploadSweepProvider],
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
        const claims = await verified(c, { component, key }, token, "connect");
        const user = claims.u;
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
        // The session is read again here: a signed-out (or switched) session cannot renew a user's token.
        const claims = await verified(c, { component, key }, token, "refresh it", { graceSeconds: REFRESH_GRACE_SECONDS, renew: true });
        const user = claims.u;
        const ttlSeconds = c.config.components.tokenTtl;
        const now = Date.now();
        const fresh = await signMountToken(c.config.app.key, { component: component, key: key, ttlSeconds, ...(user !== undefined ? { user } : {}) }, now);
        return { token: fresh, expiresAt: (Math.floor(now / 1000) + ttlSeconds) * 1000 };
      },
      { name: "live.token" },
    );
    uploadRoutes(router);
  },
});
