import { describe, expect, it } from "vitest";
import { compose, defineMiddleware, type Middleware } from "../../worker/http/compose";
import type { RequestContext } from "../../worker/http/context";
import { toResponse } from "../../worker/http/respond";

const ctx = {} as RequestContext;
const render = (err: unknown) => new Response(err instanceof Error ? err.message : "?", { status: 500 });

describe("compose", () => {
  it("runs middleware as an onion around the handler", async () => {
    const trail: string[] = [];
    const mw = (name: string): Middleware => async (_c, next) => {
      trail.push(`${name}>`);
      const res = await next();
      trail.push(`<${name}`);
      return res;
    };
    const res = await compose([mw("a"), mw("b")], async () => {
      trail.push("handler");
      return new Response("ok");
    })(ctx);
    expect(await res.text()).toBe("ok");
    expect(trail).toEqual(["a>", "b>", "handler", "<b", "<a"]);
  });

  it("with onError, outer middleware receive an inner error as a response", async () => {
    const seen: number[] = [];
    const outer: Middleware = async (_c, next) => {
      const res = await next();
      seen.push(res.status);
      return res;
    };
    const syncThrow: Middleware = () => {
      throw new Error("sync boom");
    };
    const res = await compose([outer, syncThrow], async () => new Response("never"), render)(ctx);
    expect(await res.text()).toBe("sync boom");
    const late = await compose([outer], async () => Promise.reject(new Error("async boom")), render)(ctx);
    expect(await late.text()).toBe("async boom");
    expect(seen).toEqual([500, 500]);
  });

  it("calling next() twice is an error", async () => {
    const twice: Middleware = async (_c, next) => {
      await next();
      return next();
    };
    const res = await compose([twice], async () => new Response("ok"), render)(ctx);
    expect(res.status).toBe(500);
    expect(await res.text()).toBe("next() called more than once in a middleware");
    await expect(compose([twice], async () => new Response("ok"))(ctx)).rejects.toThrow(/more than once/);
  });

  it("accepts middleware that return a Response synchronously", async () => {
    const shortCircuit: Middleware = () => new Response("cached", { status: 203 });
    const res = await compose([shortCircuit], async () => new Response("handler"))(ctx);
    expect(res.status).toBe(203);
  });
});

describe("hook middleware (defineMiddleware)", () => {
  const trail: string[] = [];
  const hook = (name: string, extra: { early?: boolean; throwOut?: boolean } = {}): Middleware =>
    defineMiddleware({
      request: () => {
        trail.push(`${name}>`);
        return extra.early ? new Response(`early ${name}`, { status: 202 }) : undefined;
      },
      response: (_c, res) => {
        trail.push(`<${name}`);
        if (extra.throwOut) throw new Error(`out ${name}`);
        const copy = new Response(res.body, res);
        copy.headers.append("x-seen", name);
        return copy;
      },
    });
  const handler = () => {
    trail.push("handler");
    return new Response("ok");
  };

  it("run in onion order, and synchronously when the handler is synchronous", async () => {
    trail.length = 0;
    const out = compose([hook("a"), hook("b")], handler, render)(ctx);
    // No promise anywhere: the pass finished before compose's function returned.
    expect(out).toBeInstanceOf(Response);
    const res = out as Response;
    expect(await res.text()).toBe("ok");
    expect(res.headers.get("x-seen")).toBe("b, a");
    expect(trail).toEqual(["a>", "b>", "handler", "<b", "<a"]);
  });

  it("await an asynchronous handler once for the whole run", async () => {
    trail.length = 0;
    const res = await compose([hook("a"), hook("b")], async () => handler(), render)(ctx);
    expect(res.headers.get("x-seen")).toBe("b, a");
    expect(trail).toEqual(["a>", "b>", "handler", "<b", "<a"]);
  });

  it("a request hook that answers skips the inner layers and its own response hook", async () => {
    trail.length = 0;
    const res = await compose([hook("a"), hook("b", { early: true }), hook("c")], handler, render)(ctx);
    expect(res.status).toBe(202);
    expect(await res.text()).toBe("early b");
    expect(trail).toEqual(["a>", "b>", "<a"]);
  });

  it("a throwing hook is rendered where it threw, and the outer hooks see that response", async () => {
    trail.length = 0;
    const res = await compose([hook("a"), hook("b", { throwOut: true })], handler, render)(ctx);
    expect(res.status).toBe(500);
    expect(await res.text()).toBe("out b");
    expect(res.headers.get("x-seen")).toBe("a");

    const inThrow = defineMiddleware({
      request: () => {
        throw new Error("in");
      },
    });
    const early = await compose([hook("a"), inThrow, hook("c")], handler, render)(ctx);
    expect(await early.text()).toBe("in");
    expect(early.headers.get("x-seen")).toBe("a");
  });

  it("mix with onion middleware in declared order, and work alone as onion middleware", async () => {
    trail.length = 0;
    const onion: Middleware = async (_c, next) => {
      trail.push("o>");
      const res = await next();
      trail.push("<o");
      return res;
    };
    await compose([hook("a"), onion, hook("b")], handler, render)(ctx);
    expect(trail).toEqual(["a>", "o>", "b>", "handler", "<b", "<o", "<a"]);

    trail.length = 0;
    const alone = hook("z");
    const res = await alone(ctx, async () => handler());
    expect(res.headers.get("x-seen")).toBe("z");
    expect(trail).toEqual(["z>", "handler", "<z"]);
  });

  it("without onError, errors from a hook or the handler reach the caller", async () => {
    const boom = () => {
      throw new Error("handler boom");
    };
    expect(() => compose([hook("a")], boom)(ctx)).toThrow("handler boom");
    await expect(Promise.resolve(compose([hook("a")], async () => boom())(ctx))).rejects.toThrow("handler boom");
  });
});

describe("fixed headers (defineMiddleware({ headers }))", () => {
  const fresh = () => ({}) as RequestContext;
  const outer = defineMiddleware({ headers: [["x-frame-options", "DENY"], ["x-shared", "outer"]] });
  const inner = defineMiddleware({ headers: [["x-shared", "inner"], ["x-inner", "1"]] });
  const seenByResponseHook: (string | null)[] = [];
  const reader = defineMiddleware({
    headers: [["x-reader", "1"]],
    response: (_c, res) => {
      seenByResponseHook.push(res.headers.get("x-reader"));
      return res;
    },
  });
  const data = (c: RequestContext) => toResponse({ ok: true }, c);

  it("are on responses built from handler data, the innermost value winning a repeated name", () => {
    const res = compose([outer, inner], data, render)(fresh()) as Response;
    expect(res).toBeInstanceOf(Response);
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("x-shared")).toBe("inner");
    expect(res.headers.get("x-inner")).toBe("1");
  });

  it("are set on a handler's own Response and on error responses, without replacing what it set", () => {
    const own = compose([outer, inner], () => new Response("x", { headers: { "x-frame-options": "SAMEORIGIN" } }), render)(fresh()) as Response;
    expect(own.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    expect(own.headers.get("x-shared")).toBe("inner");
    const failed = compose([outer, inner], () => {
      throw new Error("boom");
    }, render)(fresh()) as Response;
    expect(failed.status).toBe(500);
    expect(failed.headers.get("x-frame-options")).toBe("DENY");
    // Immutable headers (a fetch() or Cache API response) are copied, not thrown on.
    const cached = compose([outer], () => new Response(Response.json({}).body, Response.json({})).clone(), render)(fresh()) as Response;
    expect(cached.headers.get("x-frame-options")).toBe("DENY");
  });

  it("are there before the same middleware's response hook runs, on either path", () => {
    seenByResponseHook.length = 0;
    compose([reader], data, render)(fresh());
    compose([reader], () => new Response("own"), render)(fresh());
    expect(seenByResponseHook).toEqual(["1", "1"]);
  });

  it("a layer inside may change a fixed header on a built response, and the change stays", async () => {
    const framed = new WeakSet<RequestContext>();
    const relax: Middleware = async (c, next) => {
      const res = await next();
      if (framed.has(c)) res.headers.set("x-frame-options", "SAMEORIGIN");
      return res;
    };
    const pipeline = compose([outer, relax], data, render);
    const c = fresh();
    framed.add(c);
    expect((await pipeline(c)).headers.get("x-frame-options")).toBe("SAMEORIGIN");
    // Each response has its own copy: the change does not reach the template or the next request.
    expect((await pipeline(fresh())).headers.get("x-frame-options")).toBe("DENY");
  });

  it("nested pipelines (route middleware) add their own, and theirs win a repeated name as before", async () => {
    const c = fresh();
    const route = compose([inner], data);
    const res = await compose([outer], route, render)(c);
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("x-inner")).toBe("1");
    expect(res.headers.get("x-shared")).toBe("inner");
  });

  it("work as plain onion middleware too", async () => {
    const res = await inner(fresh(), async () => new Response("x"));
    expect(res.headers.get("x-inner")).toBe("1");
    const early = defineMiddleware({ headers: [["x-a", "1"]], request: () => new Response("early") });
    expect((await early(fresh(), async () => new Response("never"))).headers.get("x-a")).toBeNull();
  });
});
