import { parse } from "@decimalturn/toml-patch";
import { describe, expect, it } from "vitest";
import { addDurableObject, nextMigrationTag } from "../../cli/lib/toml-edit.mjs";

/** A wrangler.toml as people write them: comments, blank lines, tables between the arrays. */
const reference = `name = "app"
main = "app/index.ts"
# flags stay honest
compatibility_flags = []

[vars]
APP_ENV = "development" # overridden per environment

[[d1_databases]]
binding = "DB"
database_name = "app"

# Durable Object components: one binding and one migration tag each.
[[durable_objects.bindings]]
name = "COUNTER"
class_name = "Counter"

[[durable_objects.bindings]]
name = "DEMO"
class_name = "Demo"

[[migrations]]
tag = "v1"
new_sqlite_classes = ["Counter"]

[[migrations]]
tag = "v2"
new_sqlite_classes = ["Demo"]

[[migrations]]
tag = "v3"
deleted_classes = ["Old"]

# Secrets the Worker needs.
[secrets]
required = ["APP_KEY"]
`;

describe("wrangler.toml: addDurableObject", () => {
  it("adds the binding and the next migration tag, and changes nothing else", () => {
    const { text, note } = addDurableObject(reference, { binding: "SHOPPING_CART", className: "ShoppingCart" });
    expect(note).toBe("binding SHOPPING_CART → ShoppingCart, migration v4");
    const doc = parse(text);
    expect(doc.durable_objects.bindings.at(-1)).toEqual({ name: "SHOPPING_CART", class_name: "ShoppingCart" });
    expect(doc.migrations.at(-1)).toEqual({ tag: "v4", new_sqlite_classes: ["ShoppingCart"] });
    // Every original line survives in order (comments, blank lines, key order), only new lines are added.
    const added = text.split("\n");
    let i = 0;
    for (const line of reference.split("\n")) {
      while (i < added.length && added[i] !== line) i++;
      expect(i, `line kept: ${line}`).toBeLessThan(added.length);
      i++;
    }
    expect(text).toContain("# Durable Object components: one binding and one migration tag each.");
    expect(text).toContain('[[durable_objects.bindings]]\nname = "SHOPPING_CART"\nclass_name = "ShoppingCart"');
  });

  it("is idempotent: the same component twice is one change", () => {
    const once = addDurableObject(reference, { binding: "FOO", className: "Foo" }).text;
    expect(addDurableObject(once, { binding: "FOO", className: "Foo" }).text).toBe(once);
  });

  it("refuses a binding already used by another class, and a class bound under another name", () => {
    expect(() => addDurableObject(reference, { binding: "COUNTER", className: "Foo" })).toThrow(/already binds COUNTER to class Counter/);
    expect(() => addDurableObject(reference, { binding: "OTHER", className: "Counter" })).toThrow(/already binds class Counter as COUNTER/);
  });

  it("starts the arrays of tables in a file that has none, keeping what is there", () => {
    const src = 'name = "app"\n# keep me\nmain = "app/index.ts"\n';
    const { text } = addDurableObject(src, { binding: "FOO", className: "Foo" });
    expect(text.startsWith(src)).toBe(true);
    expect(parse(text)).toMatchObject({ name: "app", durable_objects: { bindings: [{ name: "FOO", class_name: "Foo" }] }, migrations: [{ tag: "v1", new_sqlite_classes: ["Foo"] }] });
    expect(text).toContain("[[durable_objects.bindings]]");
  });

  it("reports a file that does not parse instead of writing it", () => {
    expect(() => addDurableObject("name = \n", { binding: "FOO", className: "Foo" })).toThrow(/does not parse/);
  });

  it("numbers tags after the highest v<N>, skipping other shapes", () => {
    expect(nextMigrationTag([])).toBe("v1");
    expect(nextMigrationTag([{ tag: "v2" }, { tag: "v10" }, { tag: "initial" }])).toBe("v11");
  });
});

describe("wrangler.toml: environments", () => {
  const withEnvs = `${reference}
# Each environment repeats its bindings.
[env.staging]
vars = { APP_ENV = "staging" }
durable_objects.bindings = [
  { name = "COUNTER", class_name = "Counter" },
  { name = "DEMO", class_name = "Demo" },
]

[env.production]
vars = { APP_ENV = "production" }
durable_objects.bindings = [{ name = "COUNTER", class_name = "Counter" }]

[env.preview]
vars = { APP_ENV = "preview" }
`;

  it("adds the binding to every environment that lists Durable Object bindings, in its own style", () => {
    const { text, note } = addDurableObject(withEnvs, { binding: "FOO", className: "Foo" });
    expect(note).toBe("binding FOO → Foo, migration v4, env.staging binding, env.production binding");
    expect(text).toContain('  { name = "DEMO", class_name = "Demo" },\n  { name = "FOO", class_name = "Foo" },\n]');
    const doc = parse(text);
    expect(doc.env.production.durable_objects.bindings).toEqual([{ name: "COUNTER", class_name: "Counter" }, { name: "FOO", class_name: "Foo" }]);
    expect(doc.env.preview.durable_objects).toBeUndefined();
    expect(doc.env.staging.migrations).toBeUndefined();
    expect(text).toContain("# Each environment repeats its bindings.");
    expect(addDurableObject(text, { binding: "FOO", className: "Foo" }).text).toBe(text);
  });
});
