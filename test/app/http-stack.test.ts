import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../../app/bootstrap";
import type { Problem } from "../support/app";

const fetchWorker = (path: string, init?: RequestInit) => exports.default.fetch(new Request(`http://localhost:8787${path}`, init));
const DEV_ORIGIN = "http://localhost:8787"; // CORS_ORIGINS in wrangler.toml

describe("the reference Worker's global middleware stack", () => {
  it("boots the application once for many requests", async () => {
    await Promise.all([fetchWorker("/health"), fetchWorker("/health")]);
    const router = app.router;
    const before = router.routes.length;
    for (let i = 0; i < 3; i++) expect((await fetchWorker("/health")).status).toBe(200);
    expect(app.booted).toBe(true);
    expect(router.routes.length).toBe(before);
  });

  it("a routed JSON endpoint carries request id, security headers and CORS", async () => {
    const res = await fetchWorker("/hello/w%C3%B6rld", { headers: { origin: DEV_ORIGIN, "x-request-id": "int-1" } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ hello: "wörld" });
    expect(res.headers.get("x-request-id")).toBe("int-1");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("access-control-allow-origin")).toBe(DEV_ORIGIN);
  });

  it("error responses carry the same headers", async () => {
    const res = await fetchWorker("/health", { method: "POST", headers: { origin: DEV_ORIGIN } });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD");
    expect(res.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    expect(res.headers.get("access-control-allow-origin")).toBe(DEV_ORIGIN);
    const body = await res.json<Problem>();
    expect(res.headers.get("x-request-id")).toBe(body.requestId);
  });

  it("answers CORS preflights for the configured origin only", async () => {
    const ok = await fetchWorker("/hello/x", { method: "OPTIONS", headers: { origin: DEV_ORIGIN, "access-control-request-method": "GET" } });
    expect(ok.status).toBe(204);
    expect(ok.headers.get("access-control-allow-origin")).toBe(DEV_ORIGIN);
    const no = await fetchWorker("/hello/x", { method: "OPTIONS", headers: { origin: "https://elsewhere.example", "access-control-request-method": "GET" } });
    expect(no.headers.has("access-control-allow-origin")).toBe(false);
  });

  it("limits request bodies to HTTP_MAX_BODY_BYTES (1 MiB by default)", async () => {
    const size = 1_048_577;
    const res = await fetchWorker("/health", { method: "POST", body: "x".repeat(size), headers: { "content-length": String(size) } });
    expect(res.status).toBe(413);
    expect(res.headers.get("x-request-id")).toMatch(/.+/);
  });

  it("answers HEAD like GET without a body", async () => {
    const res = await fetchWorker("/health", { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await res.text()).toBe("");
  });
});

describe("welcome page", () => {
  it("answers a browser with an HTML page linking the demos, anything else with JSON", async () => {
    const page = await exports.default.fetch("http://example.com/", { headers: { accept: "text/html,application/xhtml+xml" } });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const body = await page.text();
    expect(body).toContain('href="/demo"');
    expect(body).toContain('href="/assistant/main"');
    expect(body).toContain('href="/api/users"');
    const api = await exports.default.fetch("http://example.com/", { headers: { accept: "application/json" } });
    expect(await api.json()).toEqual({ name: "Stratus", env: "test" });
  });
});
