import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("worker boot", () => {
  it("answers the home route", async () => {
    const res = await exports.default.fetch("http://example.com/");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ name: "Stratus", env: "test" });
  });

  it("answers 404 as problem+json", async () => {
    const res = await exports.default.fetch("http://example.com/nope");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    const body = await res.json<{ status: number; requestId: string }>();
    expect(body.status).toBe(404);
    expect(body.requestId).toMatch(/.+/);
  });
});
