#!/usr/bin/env node
// Bundle budgets, checked by `npm run check` (and so by `npm test` and CI).
// Each budget bundles its entries with esbuild (minified ESM, platform neutral,
// `cloudflare:*` external), gzips the result and fails above its limit.
// Add a budget by appending to BUDGETS: `dirs` takes every non-test .ts file
// under those folders, `files` takes single entry files.
import { build } from "esbuild";
import { readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export const BUDGETS = [
  {
    name: "core",
    description: "worker/app + worker/http + worker/routing + itty-router (drizzle excluded)",
    dirs: ["worker/app", "worker/http", "worker/routing"],
    files: [],
    external: ["drizzle-orm", "drizzle-orm/*"],
    limitKb: 30,
  },
  {
    name: "worker",
    description: "the reference app's whole Worker (app/index.ts) bundled as `wrangler deploy` uploads it: tree-shaken and minified (wrangler.toml minify = true)",
    entry: "app/index.ts",
    minify: true,
    limitKb: 150,
  },
  {
    name: "ai",
    description: "worker/ai (manager, providers, streaming, queued inference) + valibot; the core, queue and events it imports excluded",
    dirs: ["worker/ai"],
    files: [],
    external: ["drizzle-orm", "drizzle-orm/*", "../app/*", "../http/*", "../../app/*", "../queue/*", "../events/*", "../routing/*", "../../config", "../../config/*"],
    limitKb: 16,
  },
];

function sources(dir) {
  const abs = join(root, dir);
  return readdirSync(abs).flatMap((name) => {
    const path = join(abs, name);
    if (statSync(path).isDirectory()) return sources(relative(root, path));
    return /\.ts$/.test(name) && !/\.(test|d)\.ts$/.test(name) ? [relative(root, path)] : [];
  });
}

async function measure(budget) {
  if (budget.entry) return measureEntry(budget);
  const entries = [...budget.dirs.flatMap(sources), ...budget.files];
  // Re-export every module as a namespace, so nothing is tree-shaken away and names cannot collide.
  const contents =
    entries.map((file, i) => `import * as m${i} from "./${file.replaceAll("\\", "/")}";`).join("\n") +
    `\nexport { ${entries.map((_, i) => `m${i}`).join(", ")} };\n`;
  const result = await build({
    stdin: { contents, resolveDir: root, sourcefile: `${budget.name}-budget.ts`, loader: "ts" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "neutral",
    mainFields: ["module", "main"],
    external: ["cloudflare:*", ...(budget.external ?? [])],
    write: false,
    logLevel: "error",
  });
  const code = result.outputFiles[0].contents;
  return { files: entries.length, raw: code.byteLength, gzip: gzipSync(code, { level: 9 }).byteLength };
}

/** One entry as a deploy bundles it: only what it reaches counts. */
async function measureEntry(budget) {
  const result = await build({
    entryPoints: [join(root, budget.entry)],
    bundle: true,
    minify: budget.minify ?? true,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["module", "main"],
    external: ["cloudflare:*", "node:*"],
    write: false,
    logLevel: "error",
  });
  const code = result.outputFiles[0].contents;
  return { files: Object.keys(result.metafile?.inputs ?? {}).length || 1, raw: code.byteLength, gzip: gzipSync(code, { level: 9 }).byteLength };
}

const kb = (n) => (n / 1024).toFixed(2);
let failed = false;
for (const budget of BUDGETS) {
  const m = await measure(budget);
  const ok = m.gzip <= budget.limitKb * 1024;
  failed ||= !ok;
  console.log(
    `size ${budget.name}: ${kb(m.gzip)} KB gzipped (${kb(m.raw)} KB minified, ${m.files} files) / budget ${budget.limitKb} KB ${ok ? "ok" : "OVER BUDGET"}  [${budget.description}]`,
  );
}
if (failed) process.exit(1);
