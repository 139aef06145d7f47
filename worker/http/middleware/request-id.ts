import { defineMiddleware, type Middleware } from "../compose";
import { withHeader } from "../headers";

/**
 * Echoes the request id on every response as `x-request-id`. The id itself is
 * chosen when the context is built (a valid incoming one is kept), so logs and
 * problem bodies written before this runs carry the same id.
 */
export function requestId(header = "x-request-id"): Middleware {
  return defineMiddleware({
    response: (c, res) => withHeader(res, header, c.requestId),
  });
}
