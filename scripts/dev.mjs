#!/usr/bin/env node
// `npm run dev`: everything local and embedded. Prepares a fresh checkout
// (secrets, client bundle, pending D1 migrations), then runs `wrangler dev --local`.
import { spawnSync, spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { dirname } from "node:path";
import { entryModule, readWranglerConfig } from "./lib/wrangler-config.mjs";
import { checkDurableObjectExports } from "./dev/do-exports.mjs";

// `npm run dev -- --remote-ai`: keep D1, KV, Queues and Durable Objects local but let the Workers AI
// binding reach Cloudflare (needs `npx wrangler login` once). Other arguments go to `wrangler dev`.
const remoteAi = process.argv.includes("--remote-ai");
const args = process.argv.slice(2).filter((a) => a !== "--remote-ai");

function ensureDevVars() {
  const file = ".dev.vars";
  const current = existsSync(file) ? readFileSync(file, "utf8") : "";
  if (/^APP_KEY=/m.test(current)) return;
  writeFileSync(file, `${current}${current && !current.endsWith("\n") ? "\n" : ""}APP_KEY=${randomBytes(32).toString("hex")}\n`);
  console.log("stratus: wrote a local APP_KEY to .dev.vars");
}

function run(cmd, cmdArgs) {
  const r = spawnSync(cmd, cmdArgs, { stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/** Stops before workerd would die on an unexported Durable Object class, naming the one and the fix. */
async function checkBoundClassesExported() {
  const config = readWranglerConfig();
  const main = entryModule(config);
  let problem;
  try {
    problem = await checkDurableObjectExports(config, main, [...new Set([dirname(main), "app", "components", "durable-objects"])]);
  } catch {
    return; // The entry does not bundle: wrangler dev reports that error itself, with its context.
  }
  if (!problem) return;
  console.error(`\nstratus dev: ${problem}`);
  process.exit(1);
}

await checkBoundClassesExported();
ensureDevVars();
if (existsSync("scripts/build-client.mjs")) run(process.execPath, ["scripts/build-client.mjs"]);
run("wrangler", ["d1", "migrations", "apply", "DB", "--local"]);
// --local keeps every binding embedded; Workers AI then uses the configured fallback provider.
// Without it, wrangler runs only the bindings that have no local mode (Workers AI) remotely.
const child = spawn("wrangler", ["dev", ...(remoteAi ? [] : ["--local"]), ...args], { stdio: "inherit" });
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code) => process.exit(code ?? 0));
