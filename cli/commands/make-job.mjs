import { render } from "../lib/files.mjs";
import { generator } from "../lib/generator.mjs";
import { addCallArgument, addImport, loadTypeScript } from "../lib/ts-edit.mjs";

export const summary = "Add a queued job: definition (valibot payload schema) and a test; registers it";
export const usage = `Usage: stratus make:job <Name>

Writes app/jobs/<name>.ts (defineJob with a valibot payload schema) and
test/app/<name>-job.test.ts, and registers the job in the \`jobs(...)\` provider
of app/bootstrap.ts.`;

export const run = generator({
  what: "job",
  usage,
  plan(p, n) {
    const ts = loadTypeScript(p.root);
    const vars = { ...n, job: `${n.camel}Job` };
    p.create(`app/jobs/${n.kebab}.ts`, render("job/job.ts.tpl", vars));
    p.create(`test/app/${n.kebab}-job.test.ts`, render("job/job.test.ts.tpl", vars));
    p.edit("app/bootstrap.ts", (text) => addImport(text, { name: vars.job, from: `./jobs/${n.kebab}`, file: "app/bootstrap.ts", ts }));
    p.edit("app/bootstrap.ts", (text) => addCallArgument(text, { callee: "jobs", argument: vars.job, file: "app/bootstrap.ts", ts }));
  },
});
