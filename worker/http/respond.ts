import type { RequestContext } from "./context";
import { frameworkResponse } from "./response-template";

/** Anything that knows how to become a Response (views, streams, files). */
export interface Renderable {
  toResponse(c: RequestContext): Response | Promise<Response>;
}

export type HandlerResult = Response | Renderable | string | number | boolean | null | object | undefined;

function isRenderable(v: unknown): v is Renderable {
  return typeof v === "object" && v !== null && typeof (v as Renderable).toResponse === "function";
}

const JSON_TYPE = "application/json; charset=utf-8";

export function json(data: unknown, init?: ResponseInit): Response {
  // The common case (no init) skips building a Headers object and spreading init.
  if (init === undefined) return new Response(JSON.stringify(data), { headers: { "content-type": JSON_TYPE } });
  const headers = new Headers(init.headers);
  if (!headers.has("content-type")) headers.set("content-type", JSON_TYPE);
  return new Response(JSON.stringify(data), { ...init, headers });
}

const TEXT_TYPE = "text/plain; charset=utf-8";

/**
 * Turns what a handler returned into a Response: objects become JSON, strings
 * text, nothing 204. Synchronous unless a Renderable renders asynchronously.
 * The responses made here start with the pipeline's fixed headers (see
 * ResponseTemplate).
 */
export function toResponse(result: HandlerResult, c: RequestContext): Response | Promise<Response> {
  if (result instanceof Response) return result;
  if (result === undefined || result === null) return frameworkResponse(c, null, "", 204);
  if (isRenderable(result)) return result.toResponse(c);
  if (typeof result === "string") return frameworkResponse(c, result, TEXT_TYPE);
  return frameworkResponse(c, JSON.stringify(result), JSON_TYPE);
}
