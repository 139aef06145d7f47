#!/usr/bin/env node
// `npm run deploy [-- --env staging|production]`: a deploy that works on an account with nothing
// yet. Checks the required secrets, creates missing queues (dead-letter queues too), applies D1
// migrations remotely and runs `wrangler deploy`, which provisions D1 and KV when they have no id.
// Decisions live in scripts/deploy/plan.mjs; this file only runs wrangler.
import { spawnSync } from "node:child_process";
import { readWranglerConfig, resolveEnv } from "./lib/wrangler-config.mjs";
import { databaseExists, deploySteps, environmentProblem, parseDeployArgs, parseQueueList, queuesToCreate, requiredQueues, secretProblem } from "./deploy/plan.mjs";

function fail(message) {
  console.error(`\nstratus deploy: ${message}`);
  process.exit(1);
}

/** Captured output, for reading. */
function capture(args) {
  const r = spawnSync("wrangler", args, { encoding: "utf8" });
  return { status: r.status ?? 1, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

/** Output shown as it happens, for doing. */
function run(args) {
  console.log(`\n$ wrangler ${args.join(" ")}`);
  const r = spawnSync("wrangler", args, { stdio: "inherit" });
  if (r.status !== 0) fail(`wrangler ${args[0]} ${args[1] ?? ""} failed (exit ${r.status}).`);
}

let options;
try {
  options = parseDeployArgs(process.argv.slice(2));
} catch (err) {
  fail(err.message);
}
const { env, rest, allowDevEnv } = options;
const envArgs = env ? ["--env", env] : [];
const config = resolveEnv(readWranglerConfig(), env);
console.log(`stratus deploy: Worker "${config.name}"${env ? ` (env ${env})` : ""}`);

const envProblem = environmentProblem(config, env, allowDevEnv);
if (envProblem) fail(envProblem);

const problem = secretProblem(config.secrets?.required ?? [], capture(["secret", "list", "--format", "json", ...envArgs]), env);
if (problem) fail(problem);

const listed = [];
for (let page = 1; page <= 50; page++) {
  const r = capture(["queues", "list", "--page", String(page), ...envArgs]);
  if (r.status !== 0) fail(`wrangler queues list failed:\n${r.stderr || r.stdout}`);
  const names = parseQueueList(r.stdout);
  if (names.length === 0) break;
  listed.push(...names);
}
for (const queue of queuesToCreate(requiredQueues(config), listed)) run(["queues", "create", queue, ...envArgs]);

const databases = config.d1_databases ?? [];
const d1List = databases.length ? capture(["d1", "list", "--json", ...envArgs]) : { stdout: "[]" };
const steps = deploySteps({ databaseExists: databases.every((db) => databaseExists(d1List.stdout || "[]", db.database_name)) });
for (const step of steps) {
  if (step === "deploy") run(["deploy", ...envArgs, ...rest]);
  else for (const db of databases) run(["d1", "migrations", "apply", db.binding, "--remote", ...envArgs]);
}
console.log(`\nstratus deploy: done.`);
