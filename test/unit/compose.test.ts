import { describe, expect, it } from "vitest";
import { compose, type Middleware } from "../../worker/http/compose";
import type { RequestContext } from "../../worker/http/context";

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
