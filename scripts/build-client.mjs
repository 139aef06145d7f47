#!/usr/bin/env node
// Bundles the browser runtime (client/) with its morphing library into
// public/stratus/client.js, served by Workers Static Assets, and the upload
// code it loads on demand into public/stratus/upload.js. Prints their sizes;
// `--check` fails when the gzipped runtime is over the budget (the on-demand
// file has its own).
import { build } from "esbuild";
import { gzipSync } from "node:zlib";
import { mkdirSync, readdirSync, readFileSync } from "node:fs";

export const BUDGET_GZIP_BYTES = 10 * 1024;
/** Each file under client/chunks/ the runtime loads on demand (client/lazy.ts). */
export const CHUNK_BUDGET_GZIP_BYTES = 2 * 1024;
const bundles = [
  { name: "client runtime", entry: "client/index.ts", outfile: "public/stratus/client.js", budget: BUDGET_GZIP_BYTES },
  ...readdirSync("client/chunks")
    .filter((f) => f.endsWith(".ts"))
    .map((f) => ({ name: `chunk ${f.slice(0, -3)} (on demand)`, entry: `client/chunks/${f}`, outfile: `public/stratus/${f.slice(0, -3)}.js`, budget: CHUNK_BUDGET_GZIP_BYTES })),
];

mkdirSync("public/stratus", { recursive: true });
let over = false;
for (const b of bundles) {
  await build({
    entryPoints: [b.entry],
    bundle: true,
    minify: true,
    format: "iife",
    target: "es2022",
    outfile: b.outfile,
    legalComments: "none",
    logLevel: "warning",
  });
  const bytes = readFileSync(b.outfile);
  const gz = gzipSync(bytes, { level: 9 }).length;
  console.log(`${b.name}: ${bytes.length} B minified, ${gz} B gzipped (budget ${b.budget} B, ${((gz / b.budget) * 100).toFixed(1)}%)`);
  if (gz > b.budget) {
    console.error(`${b.name} is over its budget by ${gz - b.budget} B`);
    over = true;
  }
}
if (process.argv.includes("--check") && over) process.exit(1);
