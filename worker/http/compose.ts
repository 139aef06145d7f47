import type { RequestContext } from "./context";

export type Next = () => Promise<Response>;

/**
 * Onion middleware: do work, call `next()`, then adjust the response.
 * Middleware made with `defineMiddleware` also carry their `hooks`, which
 * `compose` runs without a promise per layer.
 */
export type Middleware = ((c: RequestContext, next: Next) => Promise<Response> | Response) & {
  readonly hooks?: MiddlewareHooks;
};

/**
 * Middleware that only look at the request on the way in and the response on
 * the way out, both synchronously: most framework middleware (ids, headers,
 * CORS, logging). Written this way, a run of them costs one promise per
 * request instead of two or three per layer.
 */
export interface MiddlewareHooks {
  /** Before the inner layers. A Response returned here answers the request; the inner layers do not run. */
  readonly request?: (c: RequestContext) => Response | undefined | void;
  /** After the inner layers (an inner error arrives already rendered); returns the response to pass on. */
  readonly response?: (c: RequestContext, res: Response) => Response;
}

export type ErrorRenderer = (err: unknown, c: RequestContext) => Response;

/** Middleware from synchronous hooks; usable anywhere a Middleware is, and fused by `compose`. */
export function defineMiddleware(hooks: MiddlewareHooks): Middleware {
  const { request, response } = hooks;
  const mw = (c: RequestContext, next: Next): Promise<Response> | Response => {
    const early = request?.(c);
    if (early) return early;
    return response ? next().then((res) => response(c, res)) : next();
  };
  return Object.assign(mw, { hooks });
}

/** A run of hook middleware executes as one step; any other middleware is a step of its own. */
type Step = { readonly hooks: readonly MiddlewareHooks[] } | { readonly fn: Middleware };

/** What the innermost handler and a composed pipeline return: a Response as soon as nothing had to wait. */
export type Respond = (c: RequestContext) => Response | Promise<Response>;

/**
 * Runs middleware in order around `last`; each `next` may be called at most
 * once. With `onError`, a `next()` never rejects: an error thrown further in
 * becomes a Response there, so outer middleware (headers, logging) still see it.
 *
 * When `last` answers synchronously and every layer is hook middleware, the
 * whole pass is synchronous: no promise is made and no microtask waited for.
 */
export function compose(middleware: readonly Middleware[], last: Respond, onError?: ErrorRenderer): Respond {
  if (middleware.length === 0 && !onError) return last;
  const steps: Step[] = [];
  for (const mw of middleware) {
    const prev = steps.at(-1);
    if (mw.hooks && prev && "hooks" in prev) (prev.hooks as MiddlewareHooks[]).push(mw.hooks);
    else steps.push(mw.hooks ? { hooks: [mw.hooks] } : { fn: mw });
  }
  return (c) => new Pass(steps, last, c, onError).run(0);
}

/** One request's way through the steps. A class, so a request allocates one object rather than a closure per layer. */
class Pass {
  #entered = -1;

  constructor(
    private readonly steps: readonly Step[],
    private readonly last: Respond,
    private readonly c: RequestContext,
    private readonly onError: ErrorRenderer | undefined,
  ) {}

  /** Without onError an error is thrown (or rejects) out of here; with it, it comes back rendered. */
  run(i: number): Response | Promise<Response> {
    if (i <= this.#entered) throw new Error("next() called more than once in a middleware");
    this.#entered = i;
    const step = this.steps[i];
    if (step !== undefined && "hooks" in step) return this.#hooks(step.hooks, i);
    let result: Promise<Response> | Response;
    try {
      result = step === undefined ? this.last(this.c) : step.fn(this.c, () => this.#next(i + 1));
    } catch (err) {
      if (!this.onError) throw err;
      return this.#rescue(err);
    }
    if (!this.onError || !(result instanceof Promise)) return result;
    return result.catch((err: unknown) => this.#rescue(err));
  }

  /** `next()` as onion middleware see it: always a promise. */
  #next(i: number): Promise<Response> {
    try {
      return Promise.resolve(this.run(i));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  #hooks(hooks: readonly MiddlewareHooks[], i: number): Response | Promise<Response> {
    const c = this.c;
    for (let entered = 0; entered < hooks.length; entered++) {
      let early: Response | undefined | void;
      try {
        early = hooks[entered]!.request?.(c);
      } catch (err) {
        if (!this.onError) throw err;
        early = this.#rescue(err);
      }
      // Like an onion layer that returned without calling next(): its own way out is skipped.
      if (early) return this.#unwind(hooks, entered - 1, early);
    }
    // With onError the inner step has already turned its errors into responses.
    const inner = this.run(i + 1);
    if (inner instanceof Promise) return inner.then((res) => this.#unwind(hooks, hooks.length - 1, res));
    return this.#unwind(hooks, hooks.length - 1, inner);
  }

  /** Response hooks from `from` outwards; a hook that throws is rendered there, and the outer ones see that. */
  #unwind(hooks: readonly MiddlewareHooks[], from: number, res: Response): Response {
    for (let j = from; j >= 0; j--) {
      const after = hooks[j]!.response;
      if (!after) continue;
      if (!this.onError) {
        res = after(this.c, res);
        continue;
      }
      try {
        res = after(this.c, res);
      } catch (err) {
        res = this.#rescue(err);
      }
    }
    return res;
  }

  #rescue(err: unknown): Response {
    return this.onError!(err, this.c);
  }
}
