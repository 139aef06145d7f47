#!/usr/bin/env node
// `npm run bench -- <name> [args]`: runs bench/<name>/index.mjs (its default export, when it has one).
import { readdirSync } from "node:fs";

const name = process.argv[2];
// lib/ holds what the benches share; every other folder is a bench.
const available = readdirSync(new URL(".", import.meta.url), { withFileTypes: true }).filter((d) => d.isDirectory() && d.name !== "lib").map((d) => d.name);
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <name>   (available: ${available.join(", ") || "none"})`);
  process.exit(2);
}
const mod = await import(`./${name}/index.mjs`);
if (typeof mod.default === "function") await mod.default(process.argv.slice(3));
