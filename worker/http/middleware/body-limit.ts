import type { RequestContext } from "../context";
import { defineMiddleware, type Middleware } from "../compose";
import { PayloadTooLargeError } from "../errors";

/**
 * Rejects request bodies over `maxBytes` (default: `config.app.http.maxBodyBytes`)
 * with 413. A declared Content-Length is checked up front; a body without one
 * (chunked, streamed) is counted as it is read and fails once it passes the limit.
 */
export function bodyLimit(maxBytes?: number): Middleware {
  // Only requests whose body is being counted have an entry.
  const counted = new WeakMap<RequestContext, { limit: number; seen: number; exceeded: boolean }>();
  return defineMiddleware({
    name: "bodyLimit",
    request(c) {
      const body = c.request.body;
      if (body === null) return;
      const limit = maxBytes ?? c.config.app.http.maxBodyBytes;
      const declared = c.request.headers.get("content-length");
      if (declared !== null && /^\d+$/.test(declared)) {
        // The runtime frames the body by Content-Length, so a declared size is a true bound.
        if (Number(declared) > limit) throw new PayloadTooLargeError(limit);
        return;
      }
      const state = { limit, seen: 0, exceeded: false };
      counted.set(c, state);
      const counter = new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          state.seen += chunk.byteLength;
          if (state.seen > limit) {
            state.exceeded = true;
            controller.error(new PayloadTooLargeError(limit));
          } else {
            controller.enqueue(chunk);
          }
        },
      });
      c.request = new Request(c.request, { body: body.pipeThrough(counter) });
    },
    response(c, res) {
      const state = counted.get(c);
      // Whatever the reader did with the stream error, an oversized body is a 413.
      if (state?.exceeded && res.status !== 413) {
        return new PayloadTooLargeError(state.limit).toResponse(c.url.pathname, { requestId: c.requestId });
      }
      return res;
    },
  });
}
