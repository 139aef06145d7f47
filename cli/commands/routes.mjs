import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { appRoot } from "../lib/app.mjs";
import { args } from "../lib/args.mjs";
import { CliError } from "../lib/errors.mjs";
import { loadWrangler } from "../lib/wrangler.mjs";

export const summary = "List the app's routes with their names and middleware";
export const usage = `Usage: stratus routes [--json]

Boots the app's Application inside workerd (wrangler's unstable_startWorker, local
bindings only, no dev server left running) and prints every route: method, path,
name and the middleware that runs for it (global first).
  --json   print JSON instead of a table`;

/**
 * Why workerd: the app imports \`cloudflare:workers\` and binds Durable Objects, so it cannot
 * boot in Node; a throwaway entry next to the app imports its bootstrap and answers one
 * request with the booted router's table.
 */
function entrySource(fromDir, root) {
  const spec = (p) => {
    const r = relative(fromDir, join(root, p)).replaceAll("\\", "/");
    return r.startsWith(".") ? r : `./${r}`;
  };
  return `import { app } from "${spec("app/bootstrap")}";
// Bound Durable Object classes must be exported by the entry that workerd starts.
export * from "${spec("app/index")}";
export default {
  async fetch(_request: Request, env: Env): Promise<Response> {
    await app.boot(env);
    return Response.json({ routes: app.routeTable() });
  },
};
`;
}

export async function collectRoutes(root) {
  for (const f of ["app/bootstrap.ts", "app/index.ts"]) {
    if (!existsSync(join(root, f))) throw new CliError(`Expected ${f}: \`stratus routes\` boots the app from app/bootstrap.ts.`);
  }
  const { unstable_startWorker } = await loadWrangler(root);
  const dir = join(root, "node_modules", ".cache", "stratus");
  mkdirSync(dir, { recursive: true });
  const entry = join(dir, `routes-entry-${process.pid}.ts`);
  writeFileSync(entry, entrySource(dir, root));
  // No network: the placeholder Request.cf is fine for listing routes.
  process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";
  let worker;
  try {
    worker = await unstable_startWorker({
      config: join(root, "wrangler.toml"),
      entrypoint: entry,
      dev: { server: { port: 0 }, inspector: false, remote: false, watch: false, logLevel: "error" },
    });
    const res = await worker.fetch("http://localhost/");
    const body = await res.text();
    if (!res.ok) throw new CliError(`The app did not boot (HTTP ${res.status}):\n${body}`);
    return JSON.parse(body);
  } finally {
    await worker?.dispose();
    rmSync(entry, { force: true });
  }
}

function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i])).join("  ").trimEnd()).join("\n");
}

export async function run(argv) {
  const { values } = args(argv, { options: { json: { type: "boolean" }, cwd: { type: "string" } }, usage });
  const root = appRoot(values.cwd ? join(process.cwd(), values.cwd) : process.cwd());
  const { routes } = await collectRoutes(root);
  if (values.json) {
    process.stdout.write(JSON.stringify({ routes }, null, 2) + "\n");
    return;
  }
  const rows = [["METHOD", "PATH", "NAME", "MIDDLEWARE"]];
  for (const r of routes) rows.push([r.method, r.path, r.name ?? "", r.middleware.join(", ")]);
  process.stdout.write(table(rows) + "\n");
}
