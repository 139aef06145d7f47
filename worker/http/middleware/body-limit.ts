import type { Middleware } from "../compose";
import { PayloadTooLargeError } from "../errors";

/**
 * Rejects request bodies over `maxBytes` (default: `config.app.http.maxBodyBytes`)
 * with 413. A declared Content-Length is checked up front; a body without one
 * (chunked, streamed) is counted as it is read and fails once it passes the limit.
 */
export function bodyLimit(maxBytes?: number): Middleware {
  return async (c, next) => {
    const body = c.request.body;
    if (body === null) return next();
    const limit = maxBytes ?? c.config.app.http.maxBodyBytes;
    const declared = c.request.headers.get("content-length");
    if (declared !== null && /^\d+$/.test(declared)) {
      // The runtime frames the body by Content-Length, so a declared size is a true bound.
      if (Number(declared) > limit) throw new PayloadTooLargeError(limit);
      return next();
    }
    let seen = 0;
    let exceeded = false;
    const counter = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > limit) {
          exceeded = true;
          controller.error(new PayloadTooLargeError(limit));
        } else {
          controller.enqueue(chunk);
        }
      },
    });
    c.request = new Request(c.request, { body: body.pipeThrough(counter) });
    const res = await next();
    // Whatever the reader did with the stream error, an oversized body is a 413.
    if (exceeded && res.status !== 413) return new PayloadTooLargeError(limit).toResponse(c.url.pathname, { requestId: c.requestId });
    return res;
  };
}
