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
    // One async frame per layer: this runs for every middleware of every request.
    const dispatch = async (i: number): Promise<Response> => {
      if (i <= index) throw new Error("next() called more than once in a middleware");
      index = i;
      const mw = middleware[i];
      try {
        return await (mw ? mw(c, () => dispatch(i + 1)) : last(c));
      } catch (err) {
        if (!onError) throw err;
        return onError(err, c);
      }
    };
    return dispatch(0);
  };
}
