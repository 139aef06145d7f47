import { runScript } from "../lib/app.mjs";
import { render } from "../lib/files.mjs";
import { generator } from "../lib/generator.mjs";
import { addDurableObject } from "../lib/toml-edit.mjs";
import { addExportFrom, addObjectProperty, loadTypeScript } from "../lib/ts-edit.mjs";

export const summary = "Add a live component: class, view, test, binding, migration, registry entry, export";
export const usage = `Usage: stratus make:component <Name> [--no-types]

Writes components/<name>/<name>.ts (the class), components/<name>/view.ts and
test/app/<name>.test.ts, then:
  wrangler.toml           adds [[durable_objects.bindings]] <NAME> and the next [[migrations]] tag
  config/components.ts    registers "<name>" in \`registry\`
  app/index.ts            exports the class (the Worker must export every bound class)
and runs \`npm run types\` so Env knows the new binding.
  --no-types   skip \`npm run types\``;

export const run = generator({
  what: "component",
  usage,
  options: { "no-types": { type: "boolean" } },
  plan(p, n) {
    const ts = loadTypeScript(p.root);
    const vars = { ...n, BINDING: n.CONSTANT };
    p.create(`components/${n.kebab}/${n.kebab}.ts`, render("component/component.ts.tpl", vars));
    p.create(`components/${n.kebab}/view.ts`, render("component/view.ts.tpl", vars));
    p.create(`test/app/${n.kebab}.test.ts`, render("component/component.test.ts.tpl", vars));
    p.edit("wrangler.toml", (text) => addDurableObject(text, { binding: n.CONSTANT, className: n.Name }));
    p.edit("config/components.ts", (text) => addObjectProperty(text, { property: "registry", key: n.kebab, value: JSON.stringify(n.CONSTANT), file: "config/components.ts", ts }));
    p.edit("app/index.ts", (text) => addExportFrom(text, { name: n.Name, from: `../components/${n.kebab}/${n.kebab}`, file: "app/index.ts", ts }));
  },
  async after(root, _n, changes, values) {
    if (!values["no-types"]) runScript(root, "types", changes);
  },
});
