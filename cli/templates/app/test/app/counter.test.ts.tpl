import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("Counter", () => {
  it("commits an increment and renders the new count", async () => {
    const stub = env.COUNTER.getByName("test");
    expect(await stub.dispatch("increment", { by: 2 })).toMatchObject({ ok: true, seq: 1 });
    const frame = await stub.currentRender();
    expect(frame.seq).toBe(1);
    expect(JSON.stringify(frame.dynamics)).toContain("2");
  });

  it("rejects invalid input without committing", async () => {
    const stub = env.COUNTER.getByName("invalid");
    expect(await stub.dispatch("increment", { by: 0 })).toMatchObject({ ok: false, code: "invalid_args" });
    expect((await stub.currentRender()).seq).toBe(0);
  });
});
