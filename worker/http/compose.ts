import type { RequestContext } from "./context";

export type Next = () => Promise<Response>;

/** Onion middleware: do work, call `next()`, then adjust the response. */
export type Middleware = (c: RequestContext, next: Next) => Promise<Response> | Response;

export type ErrorRenderer = (err: unknown, c: RequestContext) => Response;

/**
 * Runs middleware in order around `last`; each `next` may be called at most
 * once. With `onError`, a `next()` never rejects: an error thrown further in
 * becomes a Response there, so outer middleware (headers, logging) still see it.
 */
export function compose(
  middleware: readonly Middleware[],
  last: (c: RequestContext) => Promise<Response>,
  onError?: ErrorRenderer,
): (c: RequestContext) => Promise<Response> {
  if (middleware.length === 0 && !onError) return last;
  return (c) => {
    let index = -1;
    // This runs for every layer of every request, so it avoids an async frame per
    // layer: a middleware's own promise gets one rejection handler, shared by the request.
    const rescue = onError ? (err: unknown) => onError(err, c) : undefined;
    const dispatch = (i: number): Promise<Response> => {
      if (i <= index) return Promise.reject(new Error("next() called more than once in a middleware"));
      index = i;
      const mw = middleware[i];
      let result: Promise<Response> | Response;
      try {
        result = mw ? mw(c, () => dispatch(i + 1)) : last(c);
      } catch (err) {
        return rescue ? Promise.resolve(rescue(err)) : Promise.reject(err);
      }
      if (!(result instanceof Promise)) return Promise.resolve(result);
      return rescue ? result.catch(rescue) : result;
    };
    return dispatch(0);
  };
}
