import { describe, expect, expectTypeOf, it } from "vitest";
import type { Middleware } from "../../worker/http/compose";
import { testApp, type Problem } from "../support/app";

const tag = (name: string): Middleware => async (c, next) => {
  const res = await next();
  res.headers.append("x-trail", name);
  return res;
};

describe("router", () => {
  const t = testApp({
    routes: (r) => {
      r.get("/", () => ({ home: true }), { name: "home" });
      r.get("/users/:id", (c) => {
        expectTypeOf(c.params).toEqualTypeOf<{ id: string }>();
        return { id: c.params.id };
      }, { name: "users.show" });
      r.get("/files/:path+", (c) => ({ path: c.params.path }), { name: "files" });
      r.get("/pages/:slug?", (c) => {
        expectTypeOf(c.params).toEqualTypeOf<{ slug?: string }>();
        return { slug: c.params.slug ?? null };
      }, { name: "pages" });
      r.get("/posts/:slug/comments/:n", (c) => ({ slug: c.params.slug, n: c.params.n }));
      r.post("/users", () => new Response(null, { status: 201 }));
      r.get("/empty", () => undefined);
      r.get("/text", () => "plain");
      r.group("/api", { middleware: [tag("api")], name: "api." }, (api) => {
        api.get("/ping", (c) => ({ route: c.route ?? null }), { name: "ping" });
        api.group("/v1", { middleware: [tag("v1")], name: "v1." }, (v1) => {
          v1.get("/items/:id", (c) => ({ item: c.params.id }), { name: "item", middleware: [tag("route")] });
        });
      });
      r.get("/urls", (c) => {
        const router = t.app.router;
        return {
          user: router.url("users.show", { id: "a b/c" }),
          item: router.url("api.v1.item", { id: 9 }, { page: 2 }),
          files: router.url("files", { path: "x/y z" }),
          route: c.route ?? null,
        };
      }, { name: "urls" });
    },
  });

  it("routes by method and path with typed, decoded params", async () => {
    expect(await (await t.fetch("/users/42")).json()).toEqual({ id: "42" });
    expect(await (await t.fetch("/users/J%C3%BCrgen")).json()).toEqual({ id: "Jürgen" });
    expect(await (await t.fetch("/posts/hello/comments/3")).json()).toEqual({ slug: "hello", n: "3" });
    expect(await (await t.fetch("/files/a/b/c.txt")).json()).toEqual({ path: "a/b/c.txt" });
    expect((await t.fetch("/users", { method: "POST" })).status).toBe(201);
  });

  it("turns handler results into responses", async () => {
    const empty = await t.fetch("/empty");
    expect(empty.status).toBe(204);
    const text = await t.fetch("/text");
    expect(text.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect((await t.fetch("/")).headers.get("content-type")).toBe("application/json; charset=utf-8");
  });

  it("groups add their prefix and run their middleware, outer group first", async () => {
    const res = await t.fetch("/api/v1/items/5");
    expect(await res.json()).toEqual({ item: "5" });
    // Appended on the way out: innermost first.
    expect(res.headers.get("x-trail")).toBe("route, v1, api");
    const ping = await t.fetch("/api/ping");
    expect(ping.headers.get("x-trail")).toBe("api");
    expect(await ping.json()).toEqual({ route: "api.ping" });
    expect((await t.fetch("/users/1")).headers.has("x-trail")).toBe(false);
  });

  it("builds URLs for named routes, encoding params and adding a query", async () => {
    expect(await (await t.fetch("/urls")).json()).toEqual({
      user: "/users/a%20b%2Fc",
      item: "/api/v1/items/9?page=2",
      files: "/files/x/y%20z",
      route: "urls",
    });
    expect(t.app.router.url("pages")).toBe("/pages");
    expect(t.app.router.url("pages", { slug: "about" })).toBe("/pages/about");
    expect(await (await t.fetch("/pages")).json()).toEqual({ slug: null });
    expect(await (await t.fetch("/pages/about")).json()).toEqual({ slug: "about" });
    expect(() => t.app.router.url("users.show")).toThrow(/needs the parameter "id"/);
    expect(() => t.app.router.url("nope")).toThrow(/No route named "nope"/);
  });

  it("rejects a duplicate route name", () => {
    expect(() => t.app.router.get("/again", () => null, { name: "home" })).toThrow(/already used/);
  });

  it("answers HEAD from the GET route with headers and no body", async () => {
    const res = await t.fetch("/users/7", { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(await res.text()).toBe("");
  });

  it("answers an unknown path with a 404 problem", async () => {
    const res = await t.fetch("/no/such/thing");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    const body = await res.json<Problem>();
    expect(body).toMatchObject({ status: 404, title: "Not Found", instance: "/no/such/thing" });
    expect(body.detail).toContain("GET /no/such/thing");
  });

  it("answers a known path with the wrong method with 405 and Allow", async () => {
    const res = await t.fetch("/users", { method: "DELETE" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
    const body = await res.json<Problem>();
    expect(body).toMatchObject({ status: 405, allow: ["POST"] });
    const get = await t.fetch("/users/1", { method: "PUT" });
    expect(get.headers.get("allow")).toBe("GET, HEAD");
  });
});
