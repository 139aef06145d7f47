import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  BadRequestError,
  ConflictError,
  HttpError,
  MethodNotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  TooManyRequestsError,
  UnsupportedMediaTypeError,
  ValidationError,
} from "../../worker/http/errors";
import { testApp, type Problem } from "../support/app";

const cases: [string, () => never, number, string, Record<string, unknown>, Record<string, string>][] = [
  ["bad-request", () => { throw new BadRequestError("Nope.", { field: "x" }); }, 400, "Bad Request", { field: "x" }, {}],
  ["not-found", () => { throw new NotFoundError("No such post."); }, 404, "Not Found", {}, {}],
  ["not-allowed", () => { throw new MethodNotAllowedError(["GET", "POST"]); }, 405, "Method Not Allowed", { allow: ["GET", "POST"] }, { allow: "GET, POST" }],
  ["conflict", () => { throw new ConflictError("Email taken.", { field: "email" }); }, 409, "Conflict", { field: "email" }, {}],
  ["too-large", () => { throw new PayloadTooLargeError(5); }, 413, "Content Too Large", { limit: 5 }, {}],
  ["media", () => { throw new UnsupportedMediaTypeError("application/json"); }, 415, "Unsupported Media Type", {}, {}],
  ["invalid", () => { throw new ValidationError([{ in: "body", path: "/a", message: "Required" }]); }, 422, "Unprocessable Content", { errors: [{ in: "body", path: "/a", message: "Required" }] }, {}],
  ["limited", () => { throw new TooManyRequestsError(30); }, 429, "Too Many Requests", {}, { "retry-after": "30" }],
  ["teapot", () => { throw new HttpError(418, { title: "I'm a teapot", detail: "Short and stout." }); }, 418, "I'm a teapot", {}, {}],
];

function app(debug: string) {
  return testApp({
    env: { APP_DEBUG: debug },
    routes: (r) => {
      for (const [path, thrower] of cases) r.get(`/${path}`, thrower);
      r.get("/crash", () => {
        throw new TypeError("secret internals at db.ts:42");
      });
      r.get("/async-crash", async () => {
        await Promise.resolve();
        throw new Error("late failure");
      });
    },
  });
}

describe("errors render as RFC 9457 problem+json", () => {
  let errors: string[] = [];
  beforeEach(() => {
    errors = [];
    vi.spyOn(console, "error").mockImplementation((line: string) => void errors.push(line));
  });
  afterEach(() => vi.restoreAllMocks());
  const t = app("false");

  it.each(cases)("%s", async (path, _thrower, status, title, extensions, headers) => {
    const res = await t.fetch(`/${path}`, { headers: { "x-request-id": `err-${path}` } });
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    for (const [name, value] of Object.entries(headers)) expect(res.headers.get(name)).toBe(value);
    const body = await res.json<Problem>();
    expect(body).toMatchObject({ status, title, instance: `/${path}`, requestId: `err-${path}`, ...extensions });
    expect(body.type).toMatch(/^https:\/\/stratus\.dev\/problems\/[a-z0-9-]+$/);
    expect(typeof body.detail).toBe("string");
    expect(body).not.toHaveProperty("stack");
  });

  it("an unexpected error is a 500 with no message or stack when APP_DEBUG is off", async () => {
    for (const path of ["/crash", "/async-crash"]) {
      const res = await t.fetch(path);
      expect(res.status).toBe(500);
      const text = await res.text();
      const body = JSON.parse(text) as Problem;
      expect(body).toMatchObject({ status: 500, title: "Internal Server Error", detail: "An unexpected error occurred." });
      expect(body).not.toHaveProperty("stack");
      expect(text).not.toMatch(/secret internals|late failure|\.ts:\d+/);
    }
  });

  it("the 500 is logged with its stack and request id, inside the Worker", async () => {
    await t.fetch("/crash", { headers: { "x-request-id": "crash-1" } });
    expect(errors).toHaveLength(1);
    const line = JSON.parse(errors[0]!) as { requestId: string; error: { stack: string } };
    expect(line.requestId).toBe("crash-1");
    expect(line.error.stack).toContain("secret internals");
  });

  it("with APP_DEBUG on, a 500 carries the message and the stack", async () => {
    const res = await app("true").fetch("/crash");
    expect(res.status).toBe(500);
    const body = await res.json<Problem & { stack: string[] }>();
    expect(body.detail).toBe("secret internals at db.ts:42");
    expect(Array.isArray(body.stack)).toBe(true);
    expect(body.stack[0]).toContain("TypeError");
  });
});
