import type { RequestContext } from "./context";
import { withHeaders } from "./headers";
import { ResponseTemplate, STAMPED, TEMPLATE, type HeaderEntry, type TemplateSlots } from "./response-template";

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
  /** Shown by tooling (the /__stratus dashboard, route lists) as the middleware's name. */
  readonly name?: string;
  /** Before the inner layers. A Response returned here answers the request; the inner layers do not run. */
  readonly request?: (c: RequestContext) => Response | undefined | void;
  /** After the inner layers (an inner error arrives already rendered); returns the response to pass on. */
  readonly response?: (c: RequestContext, res: Response) => Response;
  /**
   * Fixed headers for every response, set before `response` runs; a header the
   * response already has wins. In a composed pipeline they are baked into the
   * responses the framework builds instead of being set one by one.
   */
  readonly headers?: readonly HeaderEntry[];
}

export type ErrorRenderer = (err: unknown, c: RequestContext) => Response;

/** Middleware from synchronous hooks; usable anywhere a Middleware is, and fused by `compose`. */
export function defineMiddleware(hooks: MiddlewareHooks): Middleware {
  const { request, response, headers } = hooks;
  const mw = (c: RequestContext, next: Next): Promise<Response> | Response => {
    const early = request?.(c);
    if (early) return early;
    return headers || response ? next().then((res) => after(hooks, c, res, false)) : next();
  };
  if (hooks.name) Object.defineProperty(mw, "name", { value: hooks.name });
  return Object.assign(mw, { hooks });
}

/** A hook's way out: its fixed headers (unless the response already has them all), then its response hook. */
function after(hooks: MiddlewareHooks, c: RequestContext, res: Response, fixedPresent: boolean): Response {
  if (hooks.headers && !fixedPresent) res = withHeaders(res, hooks.headers, true);
  return hooks.response ? hooks.response(c, res) : res;
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
  // Inner hooks set their fixed headers first and a present header wins, so the innermost value is the one kept.
  const fixed = middleware.flatMap((mw) => mw.hooks?.headers ?? []).reverse();
  const template = fixed.length > 0 ? new ResponseTemplate(fixed) : undefined;
  return (c) => new Pass(steps, last, c, onError, template).run(0);
}

/** One request's way through the steps. A class, so a request allocates one object rather than a closure per layer. */
class Pass {
  #entered = -1;
  /** Whether the framework's responses for this request start from this pipeline's fixed headers. */
  readonly #baked: boolean;

  constructor(
    private readonly steps: readonly Step[],
    private readonly last: Respond,
    private readonly c: RequestContext,
    private readonly onError: ErrorRenderer | undefined,
    template: ResponseTemplate | undefined,
  ) {
    // A nested pipeline (route middleware) layers its headers over the outer pipeline's.
    this.#baked = template !== undefined;
    if (template !== undefined) {
      const slots = c as RequestContext & TemplateSlots;
      const outer = slots[TEMPLATE];
      slots[TEMPLATE] = outer === undefined ? template : template.within(outer);
    }
  }

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
      const hook = hooks[j]!;
      if (!hook.headers && !hook.response) continue;
      // A response built from this pipeline's template already has every hook's fixed headers.
      const fixedPresent = this.#baked && (this.c as RequestContext & TemplateSlots)[STAMPED] === res;
      if (!this.onError) {
        res = after(hook, this.c, res, fixedPresent);
        continue;
      }
      try {
        res = after(hook, this.c, res, fixedPresent);
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
