import type { Middleware } from "../compose";
import { withHeaders } from "../headers";

/**
 * Echoes the request id on every response as `x-request-id`. The id itself is
 * chosen when the context is built (a valid incoming one is kept), so logs and
 * problem bodies written before this runs carry the same id.
 */
export function requestId(header = "x-request-id"): Middleware {
  return async (c, next) => {
    const res = await next();
    try {
      res.headers.set(header, c.requestId);
      return res;
    } catch {
      return withHeaders(res, [[header, c.requestId]]);
    }
  };
}
