import * as v from "valibot";
import { z } from "zod";
import { describe, expect, expectTypeOf, it } from "vitest";
import { validate } from "../../../worker/http/middleware/index";
import type { FieldError } from "../../../worker/http/errors";
import { testApp, type Problem } from "../../support/app";

const json = (body: unknown): RequestInit => ({ method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });

const zodSchemas = {
  params: z.object({ id: z.coerce.number().int().positive() }),
  query: z.object({ page: z.coerce.number().int().min(1).default(1), tag: z.array(z.string()).optional() }),
  body: z.object({ title: z.string().min(3), tags: z.array(z.string().max(5)), meta: z.object({ "a/b": z.number() }).optional() }),
};

const valibotSchemas = {
  params: v.object({ id: v.pipe(v.string(), v.regex(/^\d+$/), v.transform(Number)) }),
  query: v.object({ page: v.optional(v.pipe(v.string(), v.transform(Number), v.number(), v.minValue(1)), "1") }),
  body: v.object({ title: v.pipe(v.string(), v.minLength(3)), tags: v.array(v.pipe(v.string(), v.maxLength(5))) }),
};

function errorsOf(problem: Problem): FieldError[] {
  return (problem.errors as FieldError[]).toSorted((a, b) => `${a.in}${a.path}`.localeCompare(`${b.in}${b.path}`));
}

describe.each([
  ["zod", zodSchemas],
  ["valibot", valibotSchemas],
] as const)("validate with %s", (_lib, schemas) => {
  const t = testApp({
    routes: (r) => {
      r.post("/posts/:id", validate(schemas, (_c, input) => ({ input })));
      r.post("/mw/:id", (c) => ({ valid: c.valid }), { middleware: [validate(schemas)] });
    },
  });

  it("passes typed, transformed values to the handler", async () => {
    const res = await t.fetch("/posts/7?page=2", json({ title: "Hello", tags: ["a", "b"] }));
    expect(res.status).toBe(200);
    const { input } = await res.json<{ input: { params: { id: number }; query: { page: number }; body: unknown } }>();
    expect(input.params.id).toBe(7);
    expect(Number(input.query.page)).toBe(2);
    expect(input.body).toEqual({ title: "Hello", tags: ["a", "b"] });
  });

  it("middleware form fills c.valid", async () => {
    const res = await t.fetch("/mw/3", json({ title: "Hey", tags: [] }));
    expect(res.status).toBe(200);
    const { valid } = await res.json<{ valid: { params: { id: number }; body: unknown } }>();
    expect(valid.params.id).toBe(3);
    expect(valid.body).toEqual({ title: "Hey", tags: [] });
  });

  it("reports every failing field of every part in one 422", async () => {
    for (const path of ["/posts/abc?page=0", "/mw/abc?page=0"]) {
      const res = await t.fetch(path, json({ title: "x", tags: ["ok", "too-long-tag"] }));
      expect(res.status).toBe(422);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      const problem = await res.json<Problem>();
      expect(problem.title).toBe("Unprocessable Content");
      const errors = errorsOf(problem);
      expect(errors.map((e) => [e.in, e.path])).toEqual([
        ["body", "/tags/1"],
        ["body", "/title"],
        ["params", "/id"],
        ["query", "/page"],
      ]);
      for (const e of errors) expect(e.message.length).toBeGreaterThan(0);
      expect(problem.detail).toBe("4 fields failed validation.");
    }
  });

  it("reports a missing body as a body error at the root", async () => {
    const res = await t.fetch("/posts/1", { method: "POST" });
    expect(res.status).toBe(422);
    expect(errorsOf(await res.json<Problem>())).toEqual([{ in: "body", path: "", message: expect.any(String) }]);
  });

  it("answers a non-JSON body with 415 and malformed JSON with 400, not 422", async () => {
    const form = await t.fetch("/posts/1", { method: "POST", body: "title=x", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(form.status).toBe(415);
    const broken = await t.fetch("/posts/1", { method: "POST", body: "{", headers: { "content-type": "application/json" } });
    expect(broken.status).toBe(400);
  });
});

describe("validate details", () => {
  it("escapes JSON Pointer segments and collects repeated query keys as arrays", async () => {
    const t = testApp({
      routes: (r) => {
        r.post("/p/:id", validate(zodSchemas, (_c, input) => ({ tags: input.query.tag ?? [] })));
      },
    });
    const ok = await t.fetch("/p/1?tag=a&tag=b", json({ title: "abc", tags: [] }));
    expect(await ok.json()).toEqual({ tags: ["a", "b"] });
    const bad = await t.fetch("/p/1", json({ title: "abc", tags: [], meta: { "a/b": "nope" } }));
    expect(errorsOf(await bad.json<Problem>())).toEqual([{ in: "body", path: "/meta/a~1b", message: expect.any(String) }]);
  });

  it("types the handler input from the schemas", () => {
    validate({ body: z.object({ n: z.number() }), query: v.object({ q: v.string() }) }, (_c, input) => {
      expectTypeOf(input.body).toEqualTypeOf<{ n: number }>();
      expectTypeOf(input.query).toEqualTypeOf<{ q: string }>();
      // @ts-expect-error params had no schema
      void input.params;
      return null;
    });
  });
});
