import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("{{Name}}", () => {
  it("commits an increment and renders the new count", async () => {
    const stub = env.{{BINDING}}.getByName("test");
    expect(await stub.dispatch("increment", { by: 2 })).toMatchObject({ ok: true, seq: 1 });
    const frame = await stub.currentRender();
    expect(frame.seq).toBe(1);
    expect(JSON.stringify(frame.dynamics)).toContain("2");
  });

  it("rejects invalid input without committing", async () => {
    const stub = env.{{BINDING}}.getByName("invalid");
    expect(await stub.dispatch("increment", { by: 0 })).toMatchObject({ ok: false });
    expect((await stub.currentRender()).seq).toBe(0);
  });
});
