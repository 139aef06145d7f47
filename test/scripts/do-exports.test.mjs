import { describe, expect, it } from "vitest";
import { checkDurableObjectExports, describeMissing, entryExports, localDurableObjects, missingExports } from "../../scripts/dev/do-exports.mjs";
import { entryModule, readWranglerConfig } from "../../scripts/lib/wrangler-config.mjs";

const FIXTURES = "test/scripts/fixtures/do-exports";
const config = (bindings) => ({ durable_objects: { bindings } });

describe("dev: bound Durable Object classes are exported by the entry", () => {
  it("checks only the classes this Worker defines (no script_name)", () => {
    const c = config([{ name: "CHAT", class_name: "Chat" }, { name: "REMOTE", class_name: "Remote", script_name: "other" }]);
    expect(localDurableObjects(c)).toEqual([{ binding: "CHAT", className: "Chat" }]);
  });

  it("reads exports through `export *` re-exports, as the bundler resolves them", async () => {
    expect((await entryExports(`${FIXTURES}/entry.ts`)).sort()).toEqual(["Counter", "default"]);
  });

  it("names only the missing class and gives the one-line fix with its module", async () => {
    const c = config([{ name: "COUNTER", class_name: "Counter" }, { name: "CHAT", class_name: "Chat" }]);
    const message = await checkDurableObjectExports(c, `${FIXTURES}/entry.ts`, [FIXTURES]);
    expect(message).toContain("Durable Object class Chat (binding CHAT in wrangler.toml) is not exported by test/scripts/fixtures/do-exports/entry.ts");
    expect(message).toContain('export { Chat } from "./missing";');
    expect(message).not.toContain("Counter");
  });

  it("says where to look when no module declares the class", () => {
    const message = describeMissing(missingExports([{ binding: "X", className: "Ghost" }], []), "app/index.ts");
    expect(message).toContain('export { Ghost } from "<the module that defines it>";');
  });

  it("passes for this repository's own wrangler.toml and entry", async () => {
    const c = readWranglerConfig("wrangler.toml");
    expect(await checkDurableObjectExports(c, entryModule(c), ["components"])).toBeNull();
  });
});
