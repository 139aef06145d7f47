import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import wranglerToml from "../../wrangler.toml?raw";
import indexSource from "../../app/index.ts?raw";
import readme from "../../README.md?raw";
import components from "../../config/components";
import { EnvReader } from "stratus";
import { connectLive } from "stratus/testing";
import * as worker from "../../app/index";
import { Counter } from "../../components/counter/counter";

/** The README's "Bind your own component", step by step, against the real files. */
describe("Bind your own component (README)", () => {
  const section = readme.slice(readme.indexOf("## Bind your own component"));

  it("step 1: wrangler.toml has the binding and the migration tag the README shows", () => {
    const toml = section.match(/```toml\n([\s\S]*?)```/)![1]!.replace(/^ {3}/gm, "");
    for (const line of toml.split("\n").filter((l) => l.trim() !== "")) expect(wranglerToml).toContain(line.trim());
    expect(wranglerToml).toMatch(/\[\[durable_objects\.bindings\]\]\s*name = "COUNTER"\s*class_name = "Counter"/);
    expect(wranglerToml).toMatch(/\[\[migrations\]\]\s*tag = "v1"\s*new_sqlite_classes = \["Counter"\]/);
  });

  it("step 2: config/components.ts registers the name", () => {
    expect(section).toContain('counter: "COUNTER",');
    expect(components.load(new EnvReader({})).registry).toMatchObject({ counter: "COUNTER" });
  });

  it("step 3: app/index.ts exports the class", () => {
    const line = 'export { Counter } from "../components/counter/counter";';
    expect(section).toContain(line);
    expect(indexSource).toContain(line);
    expect((worker as Record<string, unknown>).Counter).toBe(Counter);
  });

  it("step 4: the generated Env has the binding, and the component is live at /live/counter/<key>", async () => {
    expect(env.COUNTER).toBeDefined();
    const c = await connectLive(exports.default, "counter", "readme", { secret: env.APP_KEY });
    await c.hello();
    c.send({ type: "action", id: "1", name: "increment", args: { by: 1 } });
    await c.until((x) => x.of("diff").length === 1);
    expect(c.of("diff")[0]).toMatchObject({ from: 0, seq: 1, changes: { d: { 0: "1" } } });
    c.close();
  });
});
