import { ConfigError } from "../app/config";
import type { RequestContext } from "./context";
import { toHttpError } from "./error-mapping";
import { problemResponse } from "./problem";

/**
 * Every error leaves the Worker as application/problem+json with the request
 * id. Unknown errors are 500s whose message and stack appear only when
 * APP_DEBUG is on.
 */
export function renderError(err: unknown, c: Pick<RequestContext, "url" | "requestId" | "log"> & { debug: boolean }): Response {
  const http = toHttpError(err);
  if (http) {
    if (http.status >= 500) c.log.error("request failed", { status: http.status, error: http });
    return http.toResponse(c.url.pathname, { requestId: c.requestId });
  }
  c.log.error("unhandled error", { error: err });
  const debug = c.debug && err instanceof Error ? { detail: err.message, stack: err.stack?.split("\n") } : {};
  // A missing secret is an operator problem worth naming even without debug.
  const config = err instanceof ConfigError ? { detail: err.message, variable: err.variable } : {};
  return problemResponse({
    type: "https://stratus.dev/problems/internal-server-error",
    title: "Internal Server Error",
    status: 500,
    detail: "An unexpected error occurred.",
    instance: c.url.pathname,
    requestId: c.requestId,
    ...debug,
    ...config,
  });
}
