import { describe, expect, it } from "vitest";
import { cors } from "../../../worker/http/middleware/index";
import { testApp } from "../../support/app";

const ALLOWED = "https://allowed.example";
const routes = (r: import("../../../worker/routing/router").Router) => {
  r.get("/data", () => ({ ok: true }));
  r.post("/data", () => ({ created: true }));
};

describe("cors middleware (from config/app.ts)", () => {
  const t = testApp({ middleware: [cors()], routes, env: { CORS_ORIGINS: `${ALLOWED}, https://other.example` } });

  it("answers an allowed preflight with 204 and the configured headers", async () => {
    const res = await t.fetch("/data", {
      method: "OPTIONS",
      headers: { origin: ALLOWED, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe(ALLOWED);
    expect(res.headers.get("access-control-allow-methods")).toBe("GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
    expect(res.headers.get("access-control-allow-headers")).toBe("content-type, authorization, x-request-id");
    expect(res.headers.get("access-control-max-age")).toBe("600");
    expect(res.headers.get("vary")).toContain("origin");
    expect(res.headers.has("access-control-allow-credentials")).toBe(false);
  });

  it("answers a preflight even for a path with no OPTIONS route (no 405)", async () => {
    const res = await t.fetch("/nowhere", { method: "OPTIONS", headers: { origin: ALLOWED, "access-control-request-method": "GET" } });
    expect(res.status).toBe(204);
  });

  it("gives a disallowed origin no CORS headers, on preflight and actual requests", async () => {
    const pre = await t.fetch("/data", { method: "OPTIONS", headers: { origin: "https://evil.example", "access-control-request-method": "POST" } });
    expect(pre.status).toBe(204);
    const res = await t.fetch("/data", { headers: { origin: "https://evil.example" } });
    expect(res.status).toBe(200);
    for (const r of [pre, res]) {
      expect([...r.headers.keys()].filter((k) => k.startsWith("access-control-"))).toEqual([]);
    }
  });

  it("adds allow-origin, expose-headers and vary to actual requests, errors included", async () => {
    for (const [path, status] of [["/data", 200], ["/missing", 404]] as const) {
      const res = await t.fetch(path, { headers: { origin: ALLOWED } });
      expect(res.status).toBe(status);
      expect(res.headers.get("access-control-allow-origin")).toBe(ALLOWED);
      expect(res.headers.get("access-control-expose-headers")).toBe("x-request-id");
      expect(res.headers.get("vary")).toBe("origin");
    }
  });

  it("leaves same-origin requests (no Origin header) alone", async () => {
    const res = await t.fetch("/data");
    expect(res.headers.has("access-control-allow-origin")).toBe(false);
  });

  it("an OPTIONS request that is not a preflight reaches the router", async () => {
    const res = await t.fetch("/data", { method: "OPTIONS", headers: { origin: ALLOWED } });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD, POST");
  });
});

describe("cors middleware with explicit options", () => {
  const base = { methods: ["GET"], headers: ["content-type"], exposeHeaders: [], maxAge: 60 };

  it("wildcard without credentials answers *", async () => {
    const t = testApp({ middleware: [cors({ ...base, origins: ["*"], credentials: false })], routes });
    const res = await t.fetch("/data", { headers: { origin: "https://anyone.example" } });
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.has("vary")).toBe(false);
    expect(res.headers.has("access-control-expose-headers")).toBe(false);
  });

  it("credentials echo the origin (never *) and allow credentials", async () => {
    const t = testApp({ middleware: [cors({ ...base, origins: [ALLOWED], credentials: true })], routes });
    const res = await t.fetch("/data", { headers: { origin: ALLOWED } });
    expect(res.headers.get("access-control-allow-origin")).toBe(ALLOWED);
    expect(res.headers.get("access-control-allow-credentials")).toBe("true");
    const pre = await t.fetch("/data", { method: "OPTIONS", headers: { origin: ALLOWED, "access-control-request-method": "GET" } });
    expect(pre.headers.get("access-control-allow-credentials")).toBe("true");
    expect(pre.headers.get("access-control-max-age")).toBe("60");
  });
});
