import { render } from "../lib/files.mjs";
import { generator } from "../lib/generator.mjs";
import { addArrayElement, addImport, loadTypeScript } from "../lib/ts-edit.mjs";

export const summary = "Add a middleware (defineMiddleware hooks) and its test; --global adds it to the app";
export const usage = `Usage: stratus make:middleware <Name> [--global]

Writes app/middleware/<name>.ts (a factory returning defineMiddleware hooks) and
test/app/<name>-middleware.test.ts. Use it on a route or group with
\`{ middleware: [<name>()] }\`.
  --global   also append <name>() to the application's \`middleware\` list in app/bootstrap.ts
             (it then runs innermost of the global ones)`;

export const run = generator({
  what: "middleware",
  usage,
  options: { global: { type: "boolean" } },
  plan(p, n, values) {
    const vars = { ...n, factory: n.camel };
    p.create(`app/middleware/${n.kebab}.ts`, render("middleware/middleware.ts.tpl", vars));
    p.create(`test/app/${n.kebab}-middleware.test.ts`, render("middleware/middleware.test.ts.tpl", vars));
    if (values.global) {
      const ts = loadTypeScript(p.root);
      p.edit("app/bootstrap.ts", (text) => addImport(text, { name: vars.factory, from: `./middleware/${n.kebab}`, file: "app/bootstrap.ts", ts }));
      p.edit("app/bootstrap.ts", (text) => addArrayElement(text, { property: "middleware", element: `${vars.factory}()`, spread: true, file: "app/bootstrap.ts", ts }));
    }
  },
});
