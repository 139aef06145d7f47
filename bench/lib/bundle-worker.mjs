// Bundles a bench Worker the way workerd loads it (ESM, workerd conditions, platform modules left
// to the runtime) into dist/, for the benches that serve it with Miniflare.
import { build } from "esbuild";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** `entry` is relative to the repository root; returns the bundle's path (dist/<name>.js). */
export async function bundleWorker(entry, name) {
  const outfile = `${root}dist/${name}.js`;
  mkdirSync(`${root}dist`, { recursive: true });
  await build({
    entryPoints: [`${root}${entry}`],
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2023",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["module", "main"],
    external: ["cloudflare:*", "node:*"],
    outfile,
    logLevel: "warning",
  });
  return outfile;
}
