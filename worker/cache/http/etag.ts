import type { Middleware } from "../../http/compose";

export interface EtagOptions {
  /** Bodies larger than this are passed through without an ETag (hashing means buffering). */
  maxBytes?: number;
  /** Emit weak validators (W/"..."): right when the same content may be encoded differently. */
  weak?: boolean;
}

/** Headers a 304 must repeat (RFC 9110 §15.4.5). */
const KEEP_ON_304 = ["cache-control", "content-location", "date", "etag", "expires", "vary"];

/**
 * Adds an ETag to successful GET/HEAD responses (a hash of the body unless the
 * handler set one) and answers a matching If-None-Match with 304 and no body.
 */
export function etag(options: EtagOptions = {}): Middleware {
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  return async (c, next) => {
    const res = await next();
    const method = c.request.method;
    if ((method !== "GET" && method !== "HEAD") || res.status !== 200) return res;
    let tag = res.headers.get("etag");
    let out = res;
    if (!tag) {
      const length = Number(res.headers.get("content-length") ?? "0");
      if (!res.body || length > maxBytes) return res;
      const body = await res.arrayBuffer();
      if (body.byteLength > maxBytes) return new Response(body, res);
      tag = await hashTag(body, options.weak ?? false);
      out = new Response(body, res);
      out.headers.set("etag", tag);
    }
    const inm = c.request.headers.get("if-none-match");
    if (inm && matches(inm, tag)) {
      await out.body?.cancel();
      const headers = new Headers();
      for (const h of KEEP_ON_304) {
        const v = out.headers.get(h);
        if (v !== null) headers.set(h, v);
      }
      return new Response(null, { status: 304, headers });
    }
    return out;
  };
}

export async function hashTag(body: ArrayBuffer | string, weak = false): Promise<string> {
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
  const digest = await crypto.subtle.digest("SHA-1", bytes);
  const b64 = btoa(String.fromCharCode(...new Uint8Array(digest))).replace(/=+$/, "");
  return `${weak ? "W/" : ""}"${b64}"`;
}

/** Weak comparison, as If-None-Match requires: W/"x" matches "x"; `*` matches anything. */
function matches(header: string, tag: string): boolean {
  const opaque = (t: string) => t.trim().replace(/^W\//, "");
  const want = opaque(tag);
  return header.split(",").some((t) => t.trim() === "*" || opaque(t) === want);
}
