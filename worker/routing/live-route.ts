import { defineModule } from "../app/module";
import { HttpError, ForbiddenError, UnauthorizedError } from "../http/errors";
import { CALLER_HEADER, type VerifiedMount } from "../../durable-objects/realtime/caller-header";
import { MountTokenError, verifyMountToken } from "../../durable-objects/realtime/mount-token";
import { COMPONENT_REGISTRY } from "../templating/tokens";
import { isDevEnv } from "../dev/environments";
import { seenInstances } from "../dev/instances";

/**
 * GET /live/:component/:key — the WebSocket upgrade for a live mount. Checks
 * Origin and the signed mount token before anything reaches the object, then
 * forwards a freshly built Request (never the router's) carrying the verified
 * identity.
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
        const stub = c.resolve(COMPONENT_REGISTRY).stub(component, key);
        const origin = c.request.headers.get("origin");
        if (!origin || (origin !== c.url.origin && !c.config.components.allowedOrigins.includes(origin))) {
          throw new ForbiddenError(`Origin ${origin ?? "(none)"} may not open live connections.`);
        }
        const token = c.query.get("token");
        if (!token) throw new UnauthorizedError("A live connection needs the mount token the page was rendered with.");
        let user: string | undefined;
        try {
          user = (await verifyMountToken(c.config.app.key, token, { component, key })).u;
        } catch (err) {
          if (err instanceof MountTokenError) throw new UnauthorizedError(err.message);
          throw err;
        }
        // The development dashboard lists the instances this isolate has connected sockets to.
        if (isDevEnv(c.config.app.env)) seenInstances.record(component, key);
        const mount: VerifiedMount = { component, key, ...(user !== undefined ? { user } : {}) };
        return stub.fetch(new Request(`https://component/${encodeURIComponent(component)}/${encodeURIComponent(key)}`, {
          headers: { upgrade: "websocket", [CALLER_HEADER]: JSON.stringify(mount) },
        }));
      },
      { name: "live" },
    );
  },
});
