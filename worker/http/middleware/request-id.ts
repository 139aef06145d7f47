import { defineMiddleware, type Middleware } from "../compose";
import { withHeader } from "../headers";

/**
 * Echoes the request id on every response, under `config.app.http.requestIdHeader`
 * (`REQUEST_ID_HEADER`, default `x-request-id`) or the header given here. The id
 * itself is chosen when the context is built (a valid incoming one, read from the
 * configured header, is kept), so logs and problem bodies written before this
 * runs carry the same id.
 */
export function requestId(header?: string): Middleware {
  return defineMiddleware({
    name: "requestId",
    response: (c, res) => withHeader(res, header ?? c.config.app.http.requestIdHeader, c.requestId),
  });
}
