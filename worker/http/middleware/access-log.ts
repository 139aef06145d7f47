import { defineMiddleware, type Middleware } from "../compose";

/**
 * One structured JSON line per request: method, path, status, duration (ms)
 * and, through the request's logger, the request id. Workers' clocks advance
 * only across I/O, so the duration (from `c.startedAt`) is the time spent
 * waiting, not CPU time.
 */
export function accessLog(): Middleware {
  return defineMiddleware({
    name: "accessLog",
    response(c, res) {
      c.log.info("request", {
        method: c.request.method,
        path: c.url.pathname,
        status: res.status,
        durationMs: Math.round((performance.now() - c.startedAt) * 100) / 100,
      });
      return res;
    },
  });
}
