// `npm run bench -- password [--runs 15]`: time per password hash inside workerd (Miniflare's
// programmatic API), for the framework's PBKDF2-SHA256 at the production cap (100,000 iterations, the
// baseline) and for higher counts production Workers refuse (OWASP's 600,000 for PBKDF2-SHA256),
// taking turns, with ratios to the baseline. Also the bundle bytes the hashing code adds.
import { build } from "esbuild";
import { gzipSync } from "node:zlib";
import { mkdirSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { Miniflare } from "miniflare";

export default async function run(args = []) {
  const runs = Number(args[args.indexOf("--runs") + 1] || 15);
  const outdir = resolve("dist/bench-password");
  mkdirSync(outdir, { recursive: true });
  const bundle = await build({ entryPoints: ["bench/password/worker.ts"], bundle: true, format: "esm", minify: true, write: false, platform: "neutral" });
  const code = bundle.outputFiles[0].text;
  const lib = await build({ entryPoints: ["worker/auth/password.ts"], bundle: true, format: "esm", minify: true, write: false, platform: "neutral" });
  const libBytes = lib.outputFiles[0].contents.length;
  const mf = new Miniflare({ modules: true, script: code, compatibilityDate: "2026-08-01", host: "127.0.0.1", port: 0, inspectorPort: 0 });
  try {
    const url = await mf.ready;
    const time = async (path) => (await (await fetch(new URL(path, url))).json()).ms;
    const targets = [
      ["pbkdf2-sha256 i=100000 hash (chosen)", "/hash?iterations=100000"],
      ["pbkdf2-sha256 i=100000 verify (a sign-in)", "/verify"],
      ["pbkdf2-sha256 i=600000 (OWASP; production refuses)", "/raw?iterations=600000"],
      ["pbkdf2-sha256 i=210000 (production refuses)", "/raw?iterations=210000"],
    ];
    for (const [, path] of targets) await time(path); // warm-up
    const samples = targets.map(() => []);
    for (let r = 0; r < runs; r++) {
      const order = r % 2 === 0 ? targets.map((_, i) => i) : targets.map((_, i) => targets.length - 1 - i);
      for (const i of order) samples[i].push(await time(targets[i][1]));
    }
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const base = median(samples[0]);
    const rows = targets.map(([label], i) => ({ target: label, medianMs: median(samples[i]), minMs: Math.min(...samples[i]), ratio: +(median(samples[i]) / base).toFixed(2) }));
    console.table(rows);
    const bytes = { hashingModuleMinified: libBytes, hashingModuleGzipped: gzipSync(lib.outputFiles[0].contents).length, libraryBytes: 0 };
    console.log(`bundle: worker/auth/password.ts minified ${bytes.hashingModuleMinified} B (${bytes.hashingModuleGzipped} B gzipped); no library (WebCrypto is native)`);
    mkdirSync("bench-results", { recursive: true });
    writeFileSync("bench-results/password.json", JSON.stringify({ runs, rows, bytes }, null, 2));
  } finally {
    await mf.dispose();
  }
}
