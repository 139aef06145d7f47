import { describe, expect, it } from "vitest";
import { defineMiddleware, type Middleware } from "../../worker/http/compose";
import { requestId } from "../../worker/http/middleware/request-id";
import { middlewareName, Router } from "../../worker/routing/router";
import { testApp } from "../support/app";

const adminOnly: Middleware = (_c, next) => next();

/** The route table tooling reads (`stratus routes`): names and the middleware each route runs. */
describe("router.routes", () => {
  it("lists each route's group and own middleware by name, outermost first", () => {
    const router = new Router();
    router.get("/", () => ({}), { name: "home" });
    router.group("/admin", { middleware: [adminOnly], name: "admin." }, (g) => {
      g.get("/jobs", () => ({}), { name: "jobs", middleware: [requestId(), defineMiddleware({ name: "audit" }), defineMiddleware({})] });
    });
    expect(router.routes.map((r) => ({ ...r, middleware: r.middleware.map(middlewareName) }))).toEqual([
      { method: "GET", path: "/", name: "home", middleware: [] },
      { method: "GET", path: "/admin/jobs", name: "admin.jobs", middleware: ["adminOnly", "requestId", "audit", "(anonymous)"] },
    ]);
  });
});

describe("application.routeTable()", () => {
  it("puts the application's global middleware before each route's own", async () => {
    const t = testApp({
      middleware: [requestId(), adminOnly],
      routes: (r) => r.get("/x", () => ({}), { name: "x", middleware: [defineMiddleware({ name: "audit" })] }),
    });
    expect((await t.fetch("/x")).status).toBe(200);
    expect(t.app.routeTable()).toEqual([{ method: "GET", path: "/x", name: "x", middleware: ["requestId", "adminOnly", "audit"] }]);
  });
});
