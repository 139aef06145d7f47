#!/usr/bin/env node
// `npm run db:migrate` applies pending D1 migrations to the local database;
// `npm run db:migrate -- --remote` applies them to the production database instead.
import { spawnSync } from "node:child_process";

const args = process.argv.slice(2);
const target = args.includes("--remote") || args.includes("--preview") ? [] : ["--local"];
const r = spawnSync("wrangler", ["d1", "migrations", "apply", "DB", ...target, ...args], { stdio: "inherit" });
process.exit(r.status ?? 1);
