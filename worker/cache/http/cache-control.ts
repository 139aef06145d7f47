import type { Middleware } from "../../http/compose";

export interface CacheControlOptions {
  visibility?: "public" | "private";
  /** Seconds browsers may reuse the response. */
  maxAge?: number;
  /** Seconds shared caches (CDN) may reuse it. */
  sMaxAge?: number;
  staleWhileRevalidate?: number;
  staleIfError?: number;
  noCache?: boolean;
  noStore?: boolean;
  mustRevalidate?: boolean;
  immutable?: boolean;
}

export function cacheControlValue(o: CacheControlOptions): string {
  const d: string[] = [];
  if (o.noStore) return "no-store";
  if (o.visibility) d.push(o.visibility);
  if (o.noCache) d.push("no-cache");
  if (o.maxAge !== undefined) d.push(`max-age=${Math.max(0, Math.floor(o.maxAge))}`);
  if (o.sMaxAge !== undefined) d.push(`s-maxage=${Math.max(0, Math.floor(o.sMaxAge))}`);
  if (o.staleWhileRevalidate !== undefined) d.push(`stale-while-revalidate=${Math.floor(o.staleWhileRevalidate)}`);
  if (o.staleIfError !== undefined) d.push(`stale-if-error=${Math.floor(o.staleIfError)}`);
  if (o.mustRevalidate) d.push("must-revalidate");
  if (o.immutable) d.push("immutable");
  return d.join(", ");
}

/**
 * Sets Cache-Control on a route's successful GET/HEAD responses, unless the
 * handler set its own. Errors are left alone: a cached 500 helps no one.
 */
export function cacheControl(options: CacheControlOptions): Middleware {
  const value = cacheControlValue(options);
  return async (c, next) => {
    const res = await next();
    const method = c.request.method;
    if ((method !== "GET" && method !== "HEAD") || (res.status >= 300 && res.status !== 304) || res.headers.has("cache-control")) return res;
    const out = new Response(res.body, res);
    out.headers.set("cache-control", value);
    return out;
  };
}
