import type { RequestContext } from "../../http/context";
import type { Middleware } from "../../http/compose";
import type { CacheDriver } from "../../config/cache";
import type { Cache } from "../cache";
import { CACHE_MANAGER } from "../tokens";
import { hashTag } from "./etag";

export interface ResponseCacheOptions {
  /** Seconds a response is served from cache. */
  ttl: number;
  /** Request headers that change the response (Accept-Language...): part of the key and of `Vary`. */
  vary?: readonly string[];
  /** Flushing any of these tags drops the cached responses. */
  tags?: readonly string[];
  /** Driver; default: the configured one. */
  driver?: CacheDriver;
  /** Statuses worth caching; default 200 only. */
  statuses?: readonly number[];
  staleWhileRevalidate?: number;
}

interface CachedResponse {
  status: number;
  headers: [string, string][];
  body: string;
  /** Body is base64 (binary content types). */
  b64: boolean;
}

const TEXTUAL = /^(text\/|application\/([\w.+-]*\+)?(json|xml|javascript)\b)/i;

/**
 * Caches whole GET responses keyed on the URL and the chosen request headers.
 * Requests carrying credentials (Authorization, Cookie) bypass it unless those
 * headers are in `vary`, so a private answer is never served to someone else;
 * responses that set cookies or say private/no-store are never stored.
 * Answers carry `x-cache: HIT|MISS` and an ETag computed once, at store time.
 */
export function responseCache(options: ResponseCacheOptions): Middleware {
  const vary = (options.vary ?? []).map((h) => h.toLowerCase());
  const statuses = new Set(options.statuses ?? [200]);
  return async (c, next) => {
    if (c.request.method !== "GET" && c.request.method !== "HEAD") return next();
    if (["authorization", "cookie"].some((h) => c.request.headers.has(h) && !vary.includes(h))) return next();
    const base = c.resolve(CACHE_MANAGER).store(options.driver, c.ctx);
    const cache: Cache = options.tags && options.tags.length > 0 ? base.tags(options.tags) : base;
    const key = responseKey(c, vary);
    if (c.request.method === "HEAD") {
      // Never store from HEAD (no body to keep); serve GET's entry without its body.
      const hit = await cache.get<CachedResponse>(key);
      return hit ? toResponse(hit, "HIT", vary, true) : next();
    }
    let ran = false;
    try {
      const entry = await cache.remember<CachedResponse>(
        key,
        options.ttl,
        async () => {
          ran = true;
          const res = await next();
          if (!storable(res, statuses)) throw new Uncacheable(res);
          return serialize(res);
        },
        options.staleWhileRevalidate ? { staleWhileRevalidate: options.staleWhileRevalidate } : {},
      );
      return toResponse(entry, ran ? "MISS" : "HIT", vary, false);
    } catch (err) {
      if (!(err instanceof Uncacheable)) throw err;
      // A concurrent miss that waited on someone else's uncacheable response renders its own.
      return ran ? err.response : next();
    }
  };
}

/** Thrown out of the computation so nothing is stored; carries the response through. */
class Uncacheable {
  constructor(readonly response: Response) {}
}

function responseKey(c: RequestContext, vary: readonly string[]): string {
  const parts = vary.map((h) => `${h}=${c.request.headers.get(h) ?? ""}`);
  // HEAD shares GET's entry: same headers, body dropped on the way out.
  return `resp:${c.url.href}${parts.length ? "|" + parts.join("|") : ""}`;
}

function storable(res: Response, statuses: ReadonlySet<number>): boolean {
  if (!statuses.has(res.status) || res.headers.has("set-cookie")) return false;
  const cc = res.headers.get("cache-control") ?? "";
  return !/\b(private|no-store)\b/i.test(cc);
}

async function serialize(res: Response): Promise<CachedResponse> {
  const type = res.headers.get("content-type") ?? "";
  const b64 = !TEXTUAL.test(type) && type !== "";
  let body: string;
  if (b64) {
    const bytes = new Uint8Array(await res.arrayBuffer());
    let bin = "";
    for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    body = btoa(bin);
  } else {
    body = await res.text();
  }
  const headers = new Headers(res.headers);
  if (!headers.has("etag")) headers.set("etag", await hashTag(body));
  headers.delete("content-length");
  return { status: res.status, headers: [...headers], body, b64 };
}

function toResponse(entry: CachedResponse, state: "HIT" | "MISS", vary: readonly string[], head: boolean): Response {
  const body = head ? null : entry.b64 ? Uint8Array.from(atob(entry.body), (ch) => ch.charCodeAt(0)) : entry.body;
  const res = new Response(body, { status: entry.status, headers: entry.headers });
  res.headers.set("x-cache", state);
  if (vary.length > 0) res.headers.set("vary", [...new Set([...(res.headers.get("vary")?.split(/,\s*/) ?? []), ...vary])].filter(Boolean).join(", "));
  return res;
}
