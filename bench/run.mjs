#!/usr/bin/env node
// `npm run bench -- <name>`: runs bench/<name>/index.mjs.
import { existsSync, readdirSync } from "node:fs";
import { pathToFileURL } from "node:url";

const name = process.argv[2];
const available = existsSync("bench") ? readdirSync("bench", { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name) : [];
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <name>   (available: ${available.join(", ") || "none"})`);
  process.exit(1);
}
await import(pathToFileURL(`bench/${name}/index.mjs`).href);
