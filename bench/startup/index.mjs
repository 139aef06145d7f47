// `npm run bench -- startup [--runs 9]`
//
// Worker start-up as `wrangler check startup` measures it: it runs the bundle's startup phase
// (module evaluation, top-level code) in a local workerd and writes a CPU profile of it. Three
// Workers in the same run: Stratus (the Worker wrangler.toml's `main` names, built as for a
// deploy), a hand-written bare Worker and a Hono app with the same routes (bench/http's). Each is
// profiled `--runs` times, the targets taking turns so background load falls
// on all three alike. The figure is the CPU time of the startup phase (profile samples other than
// idle); medians and the ratios of medians are printed and written to bench-results/startup.json.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { summarise } from "./profile.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const wrangler = join(root, "node_modules/.bin/wrangler");

function option(args, name, fallback) {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? Number(args[i + 1]) : fallback;
}

function run(args, cwd = root) {
  const r = spawnSync(wrangler, args, { cwd, encoding: "utf8", env: { ...process.env, WRANGLER_SEND_METRICS: "false" } });
  if (r.status !== 0) throw new Error(`wrangler ${args.join(" ")} failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round = (x, d = 3) => Number(x.toFixed(d));
/** A seeded 95% bootstrap interval for ratio(a, b), resampling runs as pairs: how far this run's noise lets it move. */
const interval95 = (a, b) => {
  let seed = 0x9e3779b9;
  const random = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const ratios = [];
  for (let n = 0; n < 2000; n++) {
    const picks = a.map(() => Math.floor(random() * a.length));
    const r = ratio(picks.map((i) => a[i]), picks.map((i) => b[i]));
    if (r !== null) ratios.push(r);
  }
  ratios.sort((x, y) => x - y);
  return ratios.length < 100 ? null : [ratios[Math.floor(ratios.length * 0.025)], ratios[Math.floor(ratios.length * 0.975)]];
};
const ratio = (a, b) => {
  const base = median(b.map((x) => x.activeMs));
  return base > 0 ? round(median(a.map((x) => x.activeMs)) / base, 2) : null;
};

export default async function main(args) {
  const runs = option(args, "runs", 9);
  const dir = mkdtempSync(join(tmpdir(), "stratus-bench-startup-"));
  try {
    const date = /compatibility_date\s*=\s*"([\d-]+)"/.exec(readFileSync(join(root, "wrangler.toml"), "utf8"))?.[1] ?? "2026-11-01";
    // Baselines get a config of their own: just a name, the bundle and the same compatibility date.
    const targets = { bare: {}, stratus: {}, hono: {} };
    for (const [name, source] of [["bare", "bare.mjs"], ["hono", "hono-app.mjs"]]) {
      const out = join(dir, name);
      mkdirSync(out);
      await build({ entryPoints: [join(root, "bench/http", source)], bundle: true, format: "esm", platform: "neutral", outfile: join(out, "index.js"), logLevel: "error" });
      writeFileSync(join(out, "wrangler.toml"), `name = "bench-${name}"\nmain = "index.js"\ncompatibility_date = "${date}"\n`);
      targets[name] = { cwd: out };
    }
    targets.stratus = { cwd: root };
    console.log("bench startup: profiling (wrangler check startup builds each Worker as deploy would)...");

    const samples = { bare: [], stratus: [], hono: [] };
    for (let i = 1; i <= runs; i++) {
      const order = i % 2 ? Object.keys(targets) : Object.keys(targets).reverse();
      for (const name of order) {
        const file = join(dir, `${name}-${i}.cpuprofile`);
        // Run from the Worker's own folder: `check startup` builds the config it finds there.
        const printed = run(["check", "startup", "--outfile", file], targets[name].cwd);
        targets[name].gzipKiB ??= Number(/gzip:\s*([\d.]+)\s*KiB/.exec(printed)?.[1] ?? NaN);
        samples[name].push(summarise(JSON.parse(readFileSync(file, "utf8"))));
      }
      console.log(`  run ${String(i).padStart(2)}: ${Object.entries(samples).map(([n, s]) => `${n} ${s.at(-1).activeMs.toFixed(1).padStart(6)} ms`).join("  ")}`);
    }

    const results = {};
    for (const [name, s] of Object.entries(samples)) {
      results[name] = {
        gzipKiB: targets[name].gzipKiB,
        activeMs: median(s.map((x) => x.activeMs)),
        gcMs: median(s.map((x) => x.gcMs)),
        windowMs: median(s.map((x) => x.windowMs)),
        // Ratios of medians: a bare Worker's startup is often below the profiler's sampling
        // interval (0 ms in a run), so per-run ratios to it are not defined; the difference is.
        overBareMs: round(median(s.map((x) => x.activeMs)) - median(samples.bare.map((x) => x.activeMs)), 1),
        ratioToBare: ratio(s, samples.bare),
        ratioToHono: ratio(s, samples.hono),
        ratioToHonoInterval95: interval95(s, samples.hono),
        top: s.at(-1).top,
      };
    }
    console.log(`\nstartup phase CPU (wrangler check startup, ${runs} runs each, medians)\n`);
    console.log("target    gzip KiB   CPU ms   of which GC   +bare ms   ×bare   ×hono   95% interval");
    const fmt = (x) => (x === null ? "n/a" : x.toFixed(2));
    for (const [name, r] of Object.entries(results)) {
      console.log(`${name.padEnd(8)} ${String(r.gzipKiB).padStart(9)}  ${r.activeMs.toFixed(1).padStart(7)}  ${r.gcMs.toFixed(1).padStart(12)}  ${r.overBareMs.toFixed(1).padStart(9)}  ${fmt(r.ratioToBare).padStart(6)}  ${fmt(r.ratioToHono).padStart(6)}   ${r.ratioToHonoInterval95 ? r.ratioToHonoInterval95.map(fmt).join("–") : "n/a"}`);
    }
    const interval = median(Object.values(samples).flat().map((x) => x.intervalMs));
    console.log(`\nmedian profiler sample interval ${interval} ms: differences below that are not resolved (a bare Worker's startup is below it).`);
    console.log(`Stratus's heaviest startup functions (last run): ${results.stratus.top.map((t) => `${t.fn} ${t.ms} ms`).join(", ")}`);

    mkdirSync(join(root, "bench-results"), { recursive: true });
    const out = { bench: "startup", sampleIntervalMs: interval, date: new Date().toISOString(), tool: "wrangler check startup", runs, metric: "CPU time of the startup phase (non-idle profile samples), ms", results, samples };
    writeFileSync(join(root, "bench-results/startup.json"), `${JSON.stringify(out, null, 2)}\n`);
    console.log("wrote bench-results/startup.json");
  } finally {
    if (!process.env.BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
    else console.log(`kept ${dir}`);
  }
}
