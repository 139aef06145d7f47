#!/usr/bin/env node
// Bundles the browser runtime (client/) with its morphing library into
// public/stratus/client.js, served by Workers Static Assets. Prints its size;
// `--check` fails when the gzipped bundle is over the budget.
import { build } from "esbuild";
import { gzipSync } from "node:zlib";
import { mkdirSync, readFileSync } from "node:fs";

export const BUDGET_GZIP_BYTES = 8 * 1024;
const outfile = "public/stratus/client.js";

mkdirSync("public/stratus", { recursive: true });
await build({
  entryPoints: ["client/index.ts"],
  bundle: true,
  minify: true,
  format: "iife",
  target: "es2022",
  outfile,
  legalComments: "none",
  logLevel: "warning",
});
const bytes = readFileSync(outfile);
const gz = gzipSync(bytes, { level: 9 }).length;
const line = `client runtime: ${bytes.length} B minified, ${gz} B gzipped (budget ${BUDGET_GZIP_BYTES} B, ${((gz / BUDGET_GZIP_BYTES) * 100).toFixed(1)}%)`;
console.log(line);
if (process.argv.includes("--check") && gz > BUDGET_GZIP_BYTES) {
  console.error(`client runtime is over its budget by ${gz - BUDGET_GZIP_BYTES} B`);
  process.exit(1);
}
