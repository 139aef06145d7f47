import type { Middleware } from "../compose";

/**
 * One structured JSON line per request: method, path, status, duration (ms)
 * and, through the request's logger, the request id. Workers' clocks advance
 * only across I/O, so the duration is the time spent waiting, not CPU time.
 */
export function accessLog(): Middleware {
  return async (c, next) => {
    const start = performance.now();
    const res = await next();
    c.log.info("request", {
      method: c.request.method,
      path: c.url.pathname,
      status: res.status,
      durationMs: Math.round((performance.now() - start) * 100) / 100,
    });
    return res;
  };
}
