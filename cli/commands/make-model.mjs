import { UsageError } from "../lib/errors.mjs";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { runScript } from "../lib/app.mjs";
import { render } from "../lib/files.mjs";
import { generator } from "../lib/generator.mjs";
import { addExportStar, loadTypeScript } from "../lib/ts-edit.mjs";

export const summary = "Add a D1 table: drizzle schema, repository and test; then db:generate writes its migration";
export const usage = `Usage: stratus make:model <Name> [--table name] [--no-migration]

Writes app/db/schema/<name>.ts (a drizzle sqliteTable), app/db/repositories/<name>.ts
(a Repository for it) and test/app/<name>-repository.test.ts, re-exports the table from
app/db/schema/index.ts, then runs \`npm run db:generate\` (drizzle-kit writes the SQL
migration into migrations/).
  --table          the SQL table name (default: <name> in snake_case, plus "s")
  --no-migration   skip \`npm run db:generate\``;

export const run = generator({
  what: "model",
  usage,
  options: { table: { type: "string" }, "no-migration": { type: "boolean" } },
  plan(p, n, values) {
    const ts = loadTypeScript(p.root);
    const table = values.table ?? `${n.snake}s`;
    if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new UsageError(`Bad --table "${table}": use lower case letters, digits and "_".`);
    const vars = { ...n, table, tableVar: `${n.camel}s`, repository: `${n.Name}Repository` };
    p.create(`app/db/schema/${n.kebab}.ts`, render("model/schema.ts.tpl", vars));
    p.create(`app/db/repositories/${n.kebab}.ts`, render("model/repository.ts.tpl", vars));
    p.create(`test/app/${n.kebab}-repository.test.ts`, render("model/repository.test.ts.tpl", vars));
    const index = "app/db/schema/index.ts";
    if (existsSync(join(p.root, index))) p.edit(index, (text) => addExportStar(text, { from: `./${n.kebab}`, file: index, ts }));
    else p.create(index, `/** The schema: one file per table; drizzle-kit generates migrations/ from it. */\nexport * from "./${n.kebab}";\n`);
  },
  async after(root, n, changes, values) {
    if (!values["no-migration"]) runScript(root, "db:generate", changes, ["--name", n.snake]);
  },
});
