#!/usr/bin/env node
// `npm run bench -- <name>`: runs bench/<name>/index.mjs.
import { existsSync, readdirSync } from "node:fs";
import { pathToFileURL } from "node:url";

const name = process.argv[2];
const available = readdirSync(new URL(".", import.meta.url), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
if (!name || !existsSync(new URL(`./${name}/index.mjs`, import.meta.url))) {
  console.error(`usage: npm run bench -- <name>   (available: ${available.join(", ") || "none"})`);
  process.exit(2);
}
await import(pathToFileURL(new URL(`./${name}/index.mjs`, import.meta.url).pathname).href);
