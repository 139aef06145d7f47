import type { Middleware } from "../compose";
import { isJsonContentType, readJson } from "../body";

export interface JsonBodyOptions {
  /** Reject bodies that are not JSON with 415 (default: only JSON bodies are parsed, others pass). */
  required?: boolean;
}

/**
 * Parses a JSON body before the handler runs, so malformed JSON is a 400
 * (naming line and column) whatever the handler does. Read the value with
 * `readJson(c)`, which returns the already-parsed body.
 */
export function jsonBody(options: JsonBodyOptions = {}): Middleware {
  const required = options.required ?? false;
  return async (c, next) => {
    if (c.request.body !== null && (required || isJsonContentType(c.request.headers.get("content-type")))) await readJson(c);
    return next();
  };
}
