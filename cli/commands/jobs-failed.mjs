import { appRoot, run as runCommand } from "../lib/app.mjs";
import { ADMIN_OPTIONS, adminFetch, adminToken } from "../lib/admin.mjs";
import { args } from "../lib/args.mjs";
import { CliError, UsageError } from "../lib/errors.mjs";
import { join } from "node:path";

export const summary = "List failed jobs (the running app's admin API, or --local D1)";
export const usage = `Usage: stratus jobs:failed [--url <app url>] [--token <t>] [--limit N] [--json]
       stratus jobs:failed --local [--limit N] [--json]

Lists jobs that will not run again on their own (tries exhausted, invalid payload,
unknown job, dead-lettered), newest first.
  --url     the running app (default http://localhost:8787); calls GET /admin/jobs/failed
  --token   the admin bearer token (default: $QUEUE_ADMIN_TOKEN, else .dev.vars)
  --local   read the local D1 database instead (wrangler d1 execute DB --local); no app needed
  --limit   how many (1-100, default 20)
  --json    print JSON`;

const SQL = (limit) =>
  `SELECT uuid AS id, job, queue, reason, error, attempts, failed_at AS failedAt FROM failed_jobs ORDER BY id DESC LIMIT ${limit}`;

export async function run(argv) {
  const { values } = args(argv, { options: { ...ADMIN_OPTIONS, local: { type: "boolean" }, limit: { type: "string" }, json: { type: "boolean" } }, usage });
  const limit = values.limit === undefined ? 20 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new UsageError(`Bad --limit "${values.limit}": an integer from 1 to 100.`);
  let items;
  if (values.local) {
    const root = appRoot(values.cwd ? join(process.cwd(), values.cwd) : process.cwd());
    const out = runCommand(root, "npx", ["wrangler", "d1", "execute", "DB", "--local", "--json", "--command", SQL(limit)], undefined, { quiet: true });
    let parsed;
    try {
      parsed = JSON.parse(out);
    } catch {
      throw new CliError(`wrangler d1 execute printed no JSON:\n${out}`);
    }
    items = (parsed[0]?.results ?? []).map((r) => ({ ...r, failedAt: new Date(r.failedAt).toISOString() }));
  } else {
    let root;
    try {
      root = appRoot(values.cwd ? join(process.cwd(), values.cwd) : process.cwd());
    } catch {
      root = undefined;
    }
    const body = await adminFetch(values.url ?? "http://localhost:8787", adminToken(root, values.token), `admin/jobs/failed?limit=${limit}`);
    items = body.items;
  }
  if (values.json) {
    process.stdout.write(JSON.stringify(items, null, 2) + "\n");
    return;
  }
  if (items.length === 0) {
    process.stdout.write("No failed jobs.\n");
    return;
  }
  for (const j of items) process.stdout.write(`${j.id}  ${j.job}  ${j.reason}  tries=${j.attempts}  ${j.failedAt}\n    ${String(j.error).split("\n")[0]}\n`);
}
