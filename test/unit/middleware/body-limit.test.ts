import { describe, expect, it } from "vitest";
import { bodyLimit } from "../../../worker/http/middleware/index";
import { readJson } from "../../../worker/http/body";
import { streamedBody, testApp, type Problem } from "../../support/app";

const streamed = (chunks: number, size: number, headers: HeadersInit = {}): RequestInit =>
  ({ method: "POST", body: streamedBody(chunks, size), headers, duplex: "half" }) as RequestInit;

describe("bodyLimit middleware", () => {
  const t = testApp({
    middleware: [bodyLimit(100)],
    routes: (r) => {
      r.post("/text", async (c) => ({ length: (await c.request.text()).length }));
      r.post("/json", async (c) => ({ body: await readJson(c) }));
      r.post("/ignore", () => ({ ignored: true }));
    },
  });

  it("rejects a declared Content-Length over the limit with 413 before the handler runs", async () => {
    // Over HTTP the runtime always supplies Content-Length for a sized body; in-process requests need it spelled out.
    const res = await t.fetch("/ignore", { method: "POST", body: "x".repeat(101), headers: { "content-length": "101" } });
    expect(res.status).toBe(413);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    const body = await res.json<Problem>();
    expect(body).toMatchObject({ status: 413, title: "Content Too Large", limit: 100 });
    expect(body.detail).toContain("100 bytes");
  });

  it("lets a body at the limit through", async () => {
    const res = await t.fetch("/text", { method: "POST", body: "x".repeat(100) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ length: 100 });
  });

  it("counts a streamed body without Content-Length and fails once it passes the limit", async () => {
    const res = await t.fetch("/text", streamed(5, 30));
    expect(res.status).toBe(413);
    expect((await res.json<Problem>()).limit).toBe(100);
  });

  it("fails a streamed JSON body read through readJson with 413 too", async () => {
    const res = await t.fetch("/json", streamed(4, 40, { "content-type": "application/json" }));
    expect(res.status).toBe(413);
  });

  it("counts a body with no Content-Length even when it was not streamed", async () => {
    const res = await t.fetch("/text", { method: "POST", body: "y".repeat(150) });
    expect(res.status).toBe(413);
  });

  it("passes a small streamed body through intact", async () => {
    const res = await t.fetch("/text", streamed(3, 30));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ length: 90 });
  });

  it("reads the default limit from config (HTTP_MAX_BODY_BYTES)", async () => {
    const small = testApp({ middleware: [bodyLimit()], env: { HTTP_MAX_BODY_BYTES: "10" }, routes: (r) => r.post("/", async (c) => c.request.text()) });
    expect((await small.fetch("/", { method: "POST", body: "0123456789" })).status).toBe(200);
    const res = await small.fetch("/", { method: "POST", body: "0123456789A", headers: { "content-length": "11" } });
    expect(res.status).toBe(413);
    expect((await res.json<Problem>()).limit).toBe(10);
  });
});
