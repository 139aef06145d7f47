#!/usr/bin/env node
// `npm run db:generate [-- --name <label>]`: drizzle-kit writes SQL from worker/db/schema into
// migrations/. Both `wrangler d1 migrations apply` and the Vitest integration's readD1Migrations
// read flat migrations/NNNN_name.sql files, so this refuses any other layout (drizzle-kit 1.x
// writes migrations/<timestamp>_name/migration.sql folders) instead of letting it pass silently.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const dir = "migrations";
const r = spawnSync("drizzle-kit", ["generate", ...process.argv.slice(2)], { stdio: "inherit" });
if (r.status !== 0) process.exit(r.status ?? 1);

const nested = readdirSync(dir).filter((name) => name !== "meta" && statSync(join(dir, name)).isDirectory());
if (nested.length > 0) {
  console.error(`db:generate: drizzle-kit wrote nested migration folders (${nested.join(", ")}).`);
  console.error("Wrangler and readD1Migrations read flat migrations/NNNN_name.sql: pin drizzle-kit to 0.31.x.");
  process.exit(1);
}
const bad = readdirSync(dir).filter((name) => name.endsWith(".sql") && !/^\d{4}_[\w-]+\.sql$/.test(name));
if (bad.length > 0) {
  console.error(`db:generate: unexpected migration file names: ${bad.join(", ")}`);
  process.exit(1);
}
