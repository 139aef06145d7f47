import { describe, expect, it } from "vitest";
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
});
