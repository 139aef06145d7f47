#!/usr/bin/env node
// `npm run bench -- <name> [...args]`: runs bench/<name>/index.mjs's default export.
// With no name, lists the benches that exist.
import { existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(here, d.name, "index.mjs")))
  .map((d) => d.name)
  .sort();

const [name, ...args] = process.argv.slice(2);
if (!name) {
  console.log(`usage: npm run bench -- <name> [...args]\navailable: ${available.join(", ") || "(none)"}`);
  process.exit(0);
}
if (!available.includes(name)) {
  console.error(`bench: no benchmark "${name}" (available: ${available.join(", ") || "none"})`);
  process.exit(1);
}
const mod = await import(pathToFileURL(join(here, name, "index.mjs")).href);
await mod.default(args);
