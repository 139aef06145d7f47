import { describe, expect, it } from "vitest";
import { jsonBody } from "../../../worker/http/middleware/index";
import { readJson } from "../../../worker/http/body";
import { testApp, type Problem } from "../../support/app";

const post = (body: string, type = "application/json"): RequestInit => ({ method: "POST", body, headers: { "content-type": type } });

describe("jsonBody middleware", () => {
  let handled = 0;
  const t = testApp({
    routes: (r) => {
      r.group("/lenient", { middleware: [jsonBody()] }, (g) => {
        g.post("/", async (c) => {
          handled++;
          return { body: (await readJson(c)) ?? null, raw: await c.request.text() };
        });
      });
      r.group("/strict", { middleware: [jsonBody({ required: true })] }, (g) => {
        g.post("/", async (c) => ({ body: (await readJson(c)) ?? null }));
      });
    },
  });

  it("parses a JSON body once and keeps the raw body readable", async () => {
    const res = await t.fetch("/lenient", post('{"a":[1,2]}'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ body: { a: [1, 2] }, raw: '{"a":[1,2]}' });
  });

  it("accepts +json media types and parameters", async () => {
    const res = await t.fetch("/strict", post('{"ok":true}', "application/merge-patch+json; charset=utf-8"));
    expect(await res.json()).toEqual({ body: { ok: true } });
  });

  it("answers malformed JSON with 400 naming position, line and column, before the handler", async () => {
    const before = handled;
    const res = await t.fetch("/lenient", post('{\n  "a": 1,\n  "b": tru\n}'));
    expect(res.status).toBe(400);
    const body = await res.json<Problem>();
    expect(body).toMatchObject({ status: 400, line: 3, column: 8, position: 19 });
    expect(body.detail).toContain("line 3, column 8");
    expect(handled).toBe(before);
  });

  it("points at a trailing comma and at truncated input", async () => {
    const comma = await (await t.fetch("/strict", post('{"a": 1,}'))).json<Problem>();
    expect(comma).toMatchObject({ position: 8, line: 1, column: 9 });
    const cut = await (await t.fetch("/strict", post('{"a": [1, 2'))).json<Problem>();
    expect(cut).toMatchObject({ position: 11, line: 1, column: 12 });
  });

  it("lenient mode lets other content types through untouched", async () => {
    const lenient = await testApp({
      middleware: [jsonBody()],
      routes: (r) => r.post("/", async (c) => ({ raw: await c.request.text() })),
    }).fetch("/", post("{not json", "text/plain"));
    expect(await lenient.json()).toEqual({ raw: "{not json" });
  });

  it("required mode answers a non-JSON body with 415", async () => {
    const res = await t.fetch("/strict", post("<xml/>", "text/xml"));
    expect(res.status).toBe(415);
    const body = await res.json<Problem>();
    expect(body.title).toBe("Unsupported Media Type");
    expect(body.detail).toContain("application/json");
  });

  it("treats an empty or absent body as no body", async () => {
    expect(await (await t.fetch("/strict", post(""))).json()).toEqual({ body: null });
    expect(await (await t.fetch("/strict", { method: "POST" })).json()).toEqual({ body: null });
  });
});
