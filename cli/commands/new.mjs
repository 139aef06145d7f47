import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { args } from "../lib/args.mjs";
import { CliError, UsageError } from "../lib/errors.mjs";
import { Plan, render } from "../lib/files.mjs";
import { frameworkPackage, isInstalled, packInto, pinnedVersions } from "../lib/framework.mjs";
import { packageName } from "../lib/names.mjs";
import { Changes } from "../lib/report.mjs";

export const summary = "Create a new app in <dir>: a page, a live component, a table, a job, their tests";
export const usage = `Usage: stratus new <dir> [--stratus <npm spec>]

Writes a minimal Stratus app into <dir> (which must not exist, or be empty). Then:
  cd <dir> && npm install && npm run dev      serve it on http://localhost:8787
  cd <dir> && npm install && npm test         type check and run its tests

  --stratus <spec>   the app's dependency on the framework, as npm understands it
                     (a version range, file:<tarball>, a git URL). Default: run from a
                     checkout, the checkout is packed into <dir>/vendor/ and used as
                     file:vendor/<tarball>; run from an installed package, ^<its version>.`;

const APP_TEMPLATES = fileURLToPath(new URL("../templates/app/", import.meta.url));

/** Every template file under templates/app, as paths relative to it. */
function templateFiles(dir = APP_TEMPLATES) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? templateFiles(path) : [relative(APP_TEMPLATES, path)];
  });
}

/** Template path → app path: `.tpl` is dropped; `gitignore` becomes `.gitignore` (npm pack would drop a real one). */
function target(rel) {
  return rel.replace(/\.tpl$/, "").replace(/(^|\/)gitignore$/, "$1.gitignore").replace(/(^|\/)dev\.vars$/, "$1.dev.vars");
}

export async function run(argv) {
  const { values, positionals } = args(argv, { options: { stratus: { type: "string" } }, positionals: 1, usage });
  const dir = positionals[0];
  if (!dir) throw new UsageError(`Missing <dir>.\n\n${usage}`);
  const name = packageName(dir);
  const root = resolve(dir);
  if (existsSync(root) && (!statSync(root).isDirectory() || readdirSync(root).length > 0)) {
    throw new CliError(`Refusing to write into ${dir}: it exists and is not an empty folder.`);
  }
  if (values.stratus !== undefined && values.stratus.trim() === "") throw new UsageError("--stratus needs a value (an npm dependency spec).");

  const framework = frameworkPackage();
  const pins = pinnedVersions(framework);
  const plan = new Plan(root);
  const vars = { name, appKey: randomBytes(32).toString("hex"), adminToken: randomBytes(24).toString("hex"), stratusVersion: framework.version };
  for (const rel of templateFiles()) plan.create(target(rel), render(`app/${rel}`, vars));

  const changes = new Changes(root);
  let spec = values.stratus;
  if (spec === undefined && !isInstalled()) {
    const tarball = packInto(join(root, "vendor"));
    spec = `file:vendor/${tarball}`;
    changes.created(join(root, "vendor", tarball));
  }
  spec ??= `^${framework.version}`;

  const pkg = {
    name,
    version: "0.0.0",
    private: true,
    type: "module",
    scripts: {
      dev: "stratus client && wrangler d1 migrations apply DB --local && wrangler dev",
      deploy: "stratus client && wrangler d1 migrations apply DB --remote && wrangler deploy",
      test: "npm run check && vitest run",
      // Env types are regenerated from wrangler.toml before every type check, so they never go stale.
      check: "npm run types && tsc --noEmit",
      types: "wrangler types --include-runtime=false --strict-vars=false worker-configuration.d.ts",
      "db:generate": "drizzle-kit generate",
      "db:migrate": "wrangler d1 migrations apply DB --local",
      stratus: "stratus",
    },
    dependencies: { stratus: spec, ...pins.dependencies },
    devDependencies: pins.devDependencies,
    ...(pins.allowScripts ? { allowScripts: pins.allowScripts } : {}),
  };
  plan.create("package.json", JSON.stringify(pkg, null, 2) + "\n");
  plan.apply(changes);
  changes.print();
  process.stdout.write(`\nCreated ${name} (stratus ${spec}). Next:\n  cd ${dir}\n  npm install && npm run dev     # http://localhost:8787\n  npm install && npm test\n`);
}
