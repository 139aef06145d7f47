import { UsageError } from "../lib/errors.mjs";
import { render } from "../lib/files.mjs";
import { generator } from "../lib/generator.mjs";
import { addArrayElement, addImport, loadTypeScript } from "../lib/ts-edit.mjs";

export const summary = "Add a page: a module with one GET route and its view, plus a test";
export const usage = `Usage: stratus make:page <Name> [--path /url]

Writes app/pages/<name>.ts (a module with GET <path>, route name "<name>") and
test/app/<name>-page.test.ts, and adds the module to \`modules\` in app/bootstrap.ts.
  --path   the URL path (default /<name>)`;

export const run = generator({
  what: "page",
  usage,
  options: { path: { type: "string" } },
  plan(p, n, values) {
    const ts = loadTypeScript(p.root);
    const path = values.path ?? `/${n.kebab}`;
    if (!/^\/[\w\-./:]*$/.test(path)) throw new UsageError(`Bad --path "${path}": it must start with "/".`);
    const vars = { ...n, path, module: `${n.camel}Page` };
    p.create(`app/pages/${n.kebab}.ts`, render("page/page.ts.tpl", vars));
    p.create(`test/app/${n.kebab}-page.test.ts`, render("page/page.test.ts.tpl", vars));
    p.edit("app/bootstrap.ts", (text) => addImport(text, { name: vars.module, from: `./pages/${n.kebab}`, file: "app/bootstrap.ts", ts }));
    p.edit("app/bootstrap.ts", (text) => addArrayElement(text, { property: "modules", element: vars.module, file: "app/bootstrap.ts", ts }));
  },
});
