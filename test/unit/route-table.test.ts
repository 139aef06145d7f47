import { describe, expect, it } from "vitest";
import { defineMiddleware, type Middleware } from "../../worker/http/compose";
import { requestId } from "../../worker/http/middleware/request-id";
import { Router } from "../../worker/routing/router";

const adminOnly: Middleware = (_c, next) => next();

/** The route table tooling reads (`stratus routes`): names and the middleware each route runs. */
describe("router.routes", () => {
  it("lists each route's group and own middleware by name, outermost first", () => {
    const router = new Router();
    router.get("/", () => ({}), { name: "home" });
    router.group("/admin", { middleware: [adminOnly], name: "admin." }, (g) => {
      g.get("/jobs", () => ({}), { name: "jobs", middleware: [requestId(), defineMiddleware({ name: "audit" }), defineMiddleware({})] });
    });
    expect(router.routes).toEqual([
      { method: "GET", path: "/", name: "home", middleware: [] },
      { method: "GET", path: "/admin/jobs", name: "admin.jobs", middleware: ["adminOnly", "requestId", "audit", "anonymous"] },
    ]);
  });
});
