import { ForbiddenError, UnauthorizedError } from "../http/errors";
import type { Middleware } from "../http/compose";

const encoder = new TextEncoder();

/**
 * Bearer-token guard for the jobs admin routes, keyed by `QUEUE_ADMIN_TOKEN`.
 * Without a configured token the routes stay closed rather than open.
 */
export const adminGuard: Middleware = async (c, next) => {
  const expected = c.config.queue.admin.token;
  if (!expected) throw new ForbiddenError("The jobs admin routes are disabled: set QUEUE_ADMIN_TOKEN to enable them.");
  const header = c.request.headers.get("authorization") ?? "";
  const given = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
  if (!given || !(await sameSecret(given, expected))) throw new UnauthorizedError("A valid admin bearer token is required.");
  return next();
};

/** Constant-time comparison: hashing first makes the lengths equal. */
async function sameSecret(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([a, b].map((s) => crypto.subtle.digest("SHA-256", encoder.encode(s))));
  return crypto.subtle.timingSafeEqual(x!, y!);
}
