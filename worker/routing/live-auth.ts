import type { RequestContext } from "../http/context";
import { ForbiddenError, UnauthorizedError } from "../http/errors";
import { MountTokenError, verifyMountToken, type MountClaims } from "../../durable-objects/realtime/mount-token";

/** Live connections and token refreshes come only from the app's own pages (or listed origins). */
export function checkOrigin(c: RequestContext, what: string): void {
  const origin = c.request.headers.get("origin");
  if (!origin || (origin !== c.url.origin && !c.config.components.allowedOrigins.includes(origin))) {
    throw new ForbiddenError(`Origin ${origin ?? "(none)"} may not ${what}.`);
  }
}

export async function verified(c: RequestContext, expect: { component: string; key: string }, token: string, graceSeconds = 0): Promise<MountClaims> {
  try {
    return await verifyMountToken(c.config.app.key, token, expect, Date.now(), graceSeconds);
  } catch (err) {
    if (err instanceof MountTokenError) throw new UnauthorizedError(err.message);
    throw err;
  }
}

