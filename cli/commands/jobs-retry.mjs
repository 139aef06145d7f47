import { join } from "node:path";
import { appRoot } from "../lib/app.mjs";
import { ADMIN_OPTIONS, adminFetch, adminToken } from "../lib/admin.mjs";
import { args } from "../lib/args.mjs";
import { UsageError } from "../lib/errors.mjs";

export const summary = "Retry a failed job by id (the running app's admin API)";
export const usage = `Usage: stratus jobs:retry <id> [--url <app url>] [--token <t>]

Re-dispatches the failed job with a fresh id and fresh tries, and forgets the failed
record: POST /admin/jobs/failed/<id>/retry on the running app. A retry has to go
through the app, which owns the queue producer; there is no --local mode.
  --url     the running app (default http://localhost:8787)
  --token   the admin bearer token (default: $QUEUE_ADMIN_TOKEN, else .dev.vars)`;

export async function run(argv) {
  const { values, positionals } = args(argv, { options: ADMIN_OPTIONS, positionals: 1, usage });
  const id = positionals[0];
  if (!id) throw new UsageError(`Missing <id> (see \`stratus jobs:failed\`).\n\n${usage}`);
  let root;
  try {
    root = appRoot(values.cwd ? join(process.cwd(), values.cwd) : process.cwd());
  } catch {
    root = undefined;
  }
  const body = await adminFetch(values.url ?? "http://localhost:8787", adminToken(root, values.token), `admin/jobs/failed/${encodeURIComponent(id)}/retry`, { method: "POST" });
  process.stdout.write(`Retried ${body.retried} (${body.job}) as ${body.id}.\n`);
}
