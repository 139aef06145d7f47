import type { RequestContext } from "./context";
import { BadRequestError, UnsupportedMediaTypeError } from "./errors";
import { locateJsonError } from "./json-error";

const JSON_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;

export function isJsonContentType(value: string | null): boolean {
  return value !== null && JSON_TYPE.test(value);
}

const parsed = new WeakMap<RequestContext, Promise<unknown>>();

/**
 * The request's JSON body, parsed once per request (later calls share it).
 * No body (or an empty one) is `undefined`; a body of another type is a 415;
 * malformed JSON is a 400 naming the position, line and column. The request
 * itself stays readable: the body is read from a clone.
 */
export function readJson<T = unknown>(c: RequestContext): Promise<T | undefined> {
  let body = parsed.get(c);
  if (!body) {
    body = parse(c);
    parsed.set(c, body);
  }
  return body as Promise<T | undefined>;
}

async function parse(c: RequestContext): Promise<unknown> {
  const request = c.request;
  if (request.body === null) return undefined;
  if (!isJsonContentType(request.headers.get("content-type"))) throw new UnsupportedMediaTypeError("application/json");
  const text = await request.clone().text();
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch (err) {
    const at = locateJsonError(text);
    // V8 sometimes appends its own position; ours is always there, so drop the duplicate.
    const reason = (err instanceof Error ? err.message : String(err)).replace(/ in JSON at position \d+.*$/, "");
    throw new BadRequestError(`Malformed JSON body at line ${at.line}, column ${at.column} (position ${at.position}): ${reason}`, {
      ...at,
    });
  }
}
