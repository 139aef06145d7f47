import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { Application, defineModule } from "stratus";
import { describe, expect, it } from "vitest";
import { {{factory}} } from "../../app/middleware/{{kebab}}";

describe("{{factory}} middleware", () => {
  it("marks the responses of the routes it wraps", async () => {
    const app = new Application({
      modules: [defineModule({ name: "test", routes: (r) => r.get("/wrapped", () => ({ ok: true }), { middleware: [{{factory}}()] }).get("/plain", () => ({ ok: true })) })],
    });
    const call = async (path: string) => {
      const ctx = createExecutionContext();
      const res = await app.fetch(new Request(`https://app.test${path}`), env, ctx);
      await waitOnExecutionContext(ctx);
      return res;
    };
    expect((await call("/wrapped")).headers.get("x-{{kebab}}")).toBe("1");
    expect((await call("/plain")).headers.get("x-{{kebab}}")).toBeNull();
  });
});
