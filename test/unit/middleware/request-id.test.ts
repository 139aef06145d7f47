import { describe, expect, it, vi } from "vitest";
import { requestId } from "../../../worker/http/middleware/index";
import { testApp, type Problem } from "../../support/app";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("requestId middleware", () => {
  const t = testApp({
    middleware: [requestId()],
    routes: (r) => {
      r.get("/id", (c) => ({ id: c.requestId }));
      r.get("/fetched", async () => {
        // A Response with immutable headers, as fetch() and the Cache API return.
        const res = Response.json({ ok: true });
        return new Response(res.body, res).clone();
      });
      r.get("/boom", () => {
        throw new Error("kaput");
      });
    },
  });

  it("generates an id, exposes it to the handler and echoes it", async () => {
    const res = await t.fetch("/id");
    const id = res.headers.get("x-request-id");
    expect(id).toMatch(UUID);
    expect(await res.json()).toEqual({ id });
  });

  it("honours a valid incoming x-request-id", async () => {
    const res = await t.fetch("/id", { headers: { "x-request-id": "edge-42.a:b" } });
    expect(res.headers.get("x-request-id")).toBe("edge-42.a:b");
    expect(await res.json()).toEqual({ id: "edge-42.a:b" });
  });

  it("replaces an invalid incoming id instead of reflecting it", async () => {
    const res = await t.fetch("/id", { headers: { "x-request-id": "bad id with spaces <script>" } });
    expect(res.headers.get("x-request-id")).toMatch(UUID);
  });

  it("marks error responses with the same id as their problem body", async () => {
    const res = await t.fetch("/boom");
    expect(res.status).toBe(500);
    const body = await res.json<Problem>();
    expect(res.headers.get("x-request-id")).toBe(body.requestId);
  });

  it("marks 404s too", async () => {
    const res = await t.fetch("/nowhere", { headers: { "x-request-id": "trace-1" } });
    expect(res.status).toBe(404);
    expect(res.headers.get("x-request-id")).toBe("trace-1");
    expect((await res.json<Problem>()).requestId).toBe("trace-1");
  });

  it("works on responses whose headers are immutable", async () => {
    const res = await t.fetch("/fetched");
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toMatch(UUID);
  });

  describe("under a configured header (REQUEST_ID_HEADER)", () => {
    const failsAtBoot = testApp({
      env: { REQUEST_ID_HEADER: "X-Correlation-Id", APP_KEY: undefined },
      middleware: [requestId()],
      routes: (r) => r.get("/id", (c) => ({ id: c.requestId })),
    });
    const configured = testApp({
      env: { REQUEST_ID_HEADER: "X-Correlation-Id" },
      middleware: [requestId()],
      routes: (r) => r.get("/id", (c) => ({ id: c.requestId })),
    });

    it("reads the incoming id from it and echoes it there, not as x-request-id", async () => {
      const res = await configured.fetch("/id", { headers: { "x-correlation-id": "corr-7", "x-request-id": "other-1" } });
      expect(res.headers.get("x-correlation-id")).toBe("corr-7");
      expect(res.headers.get("x-request-id")).toBeNull();
      expect(await res.json()).toEqual({ id: "corr-7" });
    });

    it("lets CORS preflights send it and scripts read it", () => {
      expect(configured.app.config.app.http.cors.headers).toContain("x-correlation-id");
      expect(configured.app.config.app.http.cors.exposeHeaders).toEqual(["x-correlation-id"]);
    });

    it("falls back to x-request-id when the app fails before its config loads", async () => {
      vi.spyOn(console, "error").mockImplementation(() => {});
      const res = await failsAtBoot.fetch("/id", { headers: { "x-request-id": "boot-1" } });
      vi.restoreAllMocks();
      expect(res.status).toBe(500);
      expect(res.headers.get("x-request-id")).toBe("boot-1");
      expect((await res.json<Problem>()).requestId).toBe("boot-1");
    });
  });
});
