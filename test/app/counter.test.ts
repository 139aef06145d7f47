import { env, exports } from "cloudflare:workers";
import { connectLive } from "stratus/testing";
import { describe, expect, it } from "vitest";

// An app's own test, written as a user of the framework writes one: public entry points only.
describe("Counter (through stratus/testing)", () => {
  it("increments live, and a second viewer sees the same count", async () => {
    const secret = env.APP_KEY;
    const a = await connectLive(exports.default, "counter", "app-test", { secret });
    const b = await connectLive(exports.default, "counter", "app-test", { secret });
    await a.hello();
    await b.hello();
    const ack = await a.act("increment", { by: 2 });
    expect(ack).toMatchObject({ type: "ack", seq: 1 });
    await b.until((c) => c.of("diff").some((d) => d.seq === 1));
    const bad = await a.act("increment", { by: 0 });
    expect(bad).toMatchObject({ type: "error", code: "invalid_args" });
    a.close();
    b.close();
  });
});
