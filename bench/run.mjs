#!/usr/bin/env node
// `npm run bench -- <name>`: runs bench/<name>/index.mjs, which prints its figures
// beside a baseline and writes bench-results/<name>.json.
import { existsSync, readdirSync } from "node:fs";
import { pathToFileURL } from "node:url";

const name = process.argv[2];
const available = readdirSync(new URL(".", import.meta.url), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <${available.join("|")}>`);
  process.exit(1);
}
const entry = new URL(`./${name}/index.mjs`, import.meta.url);
if (!existsSync(entry)) throw new Error(`bench/${name}/index.mjs is missing`);
await import(pathToFileURL(entry.pathname).href).then((m) => m.default?.(process.argv.slice(3)));
