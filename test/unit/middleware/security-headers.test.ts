import { describe, expect, it } from "vitest";
import { DEFAULT_SECURITY_HEADERS, securityHeaders } from "../../../worker/http/middleware/index";
import { testApp } from "../../support/app";

describe("securityHeaders middleware", () => {
  it("sets every default header on success and on error responses", async () => {
    const t = testApp({ middleware: [securityHeaders()], routes: (r) => r.get("/", () => ({ ok: true })) });
    for (const path of ["/", "/missing"]) {
      const res = await t.fetch(path);
      for (const [name, value] of Object.entries(DEFAULT_SECURITY_HEADERS)) expect(res.headers.get(name), name).toBe(value);
    }
    expect(Object.keys(DEFAULT_SECURITY_HEADERS)).toContain("x-content-type-options");
  });

  it("is configurable: override, add and drop headers", async () => {
    const t = testApp({
      middleware: [
        securityHeaders({
          "X-Frame-Options": "DENY",
          "content-security-policy": "default-src 'self'",
          "strict-transport-security": false,
        }),
      ],
      routes: (r) => r.get("/", () => "hi"),
    });
    const res = await t.fetch("/");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("content-security-policy")).toBe("default-src 'self'");
    expect(res.headers.has("strict-transport-security")).toBe(false);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("leaves a header the handler set itself", async () => {
    const t = testApp({
      middleware: [securityHeaders()],
      routes: (r) => r.get("/embed", () => new Response("frame me", { headers: { "x-frame-options": "ALLOWALL" } })),
    });
    const res = await t.fetch("/embed");
    expect(res.headers.get("x-frame-options")).toBe("ALLOWALL");
    expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
  });
});
