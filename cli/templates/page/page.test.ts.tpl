import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("{{Name}} page", () => {
  it("renders at {{path}}", async () => {
    const res = await exports.default.fetch("http://localhost:8787{{path}}", { headers: { accept: "text/html" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(await res.text()).toContain("This is the {{Name}} page.");
  });
});
