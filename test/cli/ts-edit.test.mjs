import { describe, expect, it } from "vitest";
import { addArrayElement, addCallArgument, addExportFrom, addExportStar, addImport, addObjectProperty } from "../../cli/lib/ts-edit.mjs";

const components = `import { defineConfig } from "stratus";

/** Live components: mount name → Durable Object binding. */
export default defineConfig("components", (env) => ({
  tokenTtl: env.int("LIVE_TOKEN_TTL", 3600, { min: 10 }),
  registry: {
    // the welcome page's counter
    counter: "COUNTER", // keep this comment
    /* and this one */
  } as Record<string, string>,
}));
`;

describe("TypeScript edits", () => {
  it("adds a registry entry after the last one, keeping comments and the trailing comment in place", () => {
    const { text } = addObjectProperty(components, { property: "registry", key: "shopping-cart", value: '"SHOPPING_CART"' });
    expect(text).toBe(components.replace('counter: "COUNTER", // keep this comment\n', 'counter: "COUNTER", // keep this comment\n    "shopping-cart": "SHOPPING_CART",\n'));
  });

  it("adds a comma to a last entry that had none, before its comment", () => {
    const src = 'const c = {\n  registry: {\n    counter: "COUNTER" // note\n  },\n};\n';
    expect(addObjectProperty(src, { property: "registry", key: "foo", value: '"FOO"' }).text).toBe('const c = {\n  registry: {\n    counter: "COUNTER", // note\n    foo: "FOO"\n  },\n};\n');
  });

  it("fills an empty registry, inline or multi-line", () => {
    expect(addObjectProperty("const c = { registry: {} };", { property: "registry", key: "foo", value: '"FOO"' }).text).toBe('const c = { registry: { foo: "FOO" } };');
    expect(addObjectProperty("const c = {\n  registry: {\n  },\n};", { property: "registry", key: "foo", value: '"FOO"' }).text).toBe('const c = {\n  registry: {\n    foo: "FOO",\n  },\n};');
  });

  it("is idempotent for the same entry and refuses to change an existing one", () => {
    const once = addObjectProperty(components, { property: "registry", key: "foo", value: '"FOO"' }).text;
    expect(addObjectProperty(once, { property: "registry", key: "foo", value: '"FOO"' }).text).toBe(once);
    expect(() => addObjectProperty(once, { property: "registry", key: "foo", value: '"BAR"' })).toThrow(/already has "foo"/);
  });

  it("says so when there is no registry object literal", () => {
    expect(() => addObjectProperty("export const x = 1;\n", { property: "registry", key: "foo", value: '"FOO"', file: "config/components.ts" })).toThrow(/config\/components.ts: found no `registry: \{ ... \}`/);
  });

  it("exports a class from the entry after the last export-from, once", () => {
    const entry = 'import { app } from "./bootstrap";\n\nexport default app;\n\n// Every bound class is exported here.\nexport { Counter } from "../components/counter/counter";\n';
    const { text } = addExportFrom(entry, { name: "Foo", from: "../components/foo/foo" });
    expect(text).toBe(entry + 'export { Foo } from "../components/foo/foo";\n');
    expect(addExportFrom(text, { name: "Foo", from: "../components/foo/foo" }).text).toBe(text);
  });

  it("adds an import after the last import and an element to a one-line array in its style", () => {
    const boot = 'import { Application } from "stratus";\nimport { home } from "./pages/home";\n\nexport const app = new Application({\n  modules: [home],\n  middleware: [],\n});\n';
    let text = addImport(boot, { name: "about", from: "./pages/about" }).text;
    text = addArrayElement(text, { property: "modules", element: "about" }).text;
    expect(text).toBe(boot.replace('./pages/home";\n', './pages/home";\nimport { about } from "./pages/about";\n').replace("[home]", "[home, about]"));
    expect(addImport(text, { name: "about", from: "./pages/about" }).text).toBe(text);
    expect(addArrayElement(text, { property: "modules", element: "about" }).text).toBe(text);
    expect(addArrayElement(text, { property: "middleware", element: "auth()" }).text).toContain("middleware: [auth()],");
  });

  it("appends a call argument in a multi-line call, keeping its trailing comma", () => {
    const src = "const p = jobs(\n  sendWelcome,\n);\n";
    expect(addCallArgument(src, { callee: "jobs", argument: "resize" }).text).toBe("const p = jobs(\n  sendWelcome,\n  resize,\n);\n");
    expect(addCallArgument("jobs();", { callee: "jobs", argument: "resize" }).text).toBe("jobs(resize);");
  });

  it("adds a re-export to a barrel file once", () => {
    const src = '/** The schema. */\nexport * from "./notes";\n';
    const { text } = addExportStar(src, { from: "./tags" });
    expect(text).toBe(src + 'export * from "./tags";\n');
    expect(addExportStar(text, { from: "./tags" }).text).toBe(text);
  });
});

describe("TypeScript edits: a list given by an expression", () => {
  it("spreads a non-array middleware list into an array with the new element", () => {
    const src = "export const app = new Application({\n  middleware: defaultMiddleware(), // framework order\n});\n";
    const { text } = addArrayElement(src, { property: "middleware", element: "timing()", spread: true });
    expect(text).toBe("export const app = new Application({\n  middleware: [...defaultMiddleware(), timing()], // framework order\n});\n");
    expect(addArrayElement(text, { property: "middleware", element: "timing()", spread: true }).text).toBe(text);
    expect(() => addArrayElement(src, { property: "middleware", element: "timing()" })).toThrow(/no `middleware: \[ ... \]`/);
  });
});
