// Jobs per second through the Stratus queue consumer at batch sizes 1, 10 and 100.
//
// Method: the bench Worker (bench/queue/worker.ts: the real application plus two bench jobs) is
// bundled with esbuild and run in workerd through Miniflare's API, with local D1, KV and Queue
// bindings. One /run request feeds the Worker's queue entry point (app.queue) a series of
// MessageBatch-shaped batches built inside workerd, so the figure is the consumer's own cost
// (envelope parsing, registry, Standard Schema validation, timeout race, per-message ack, and for
// the uniqueFor job two D1 writes), not the local broker's batch timeout. Each mode runs beside
// a baseline in the same run: a hand-written consumer that reads, checks and acks each body.
// Wall time is taken on the Node side around the request, minus an empty request's round trip.
import { build } from "esbuild";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { Miniflare, supportedCompatibilityDate } from "miniflare";

// The project's date when this Miniflare's workerd knows it, else the newest it knows:
// nothing the bench exercises changed between them.
const PROJECT_DATE = "2026-11-01";
const COMPAT_DATE = supportedCompatibilityDate && supportedCompatibilityDate < PROJECT_DATE ? supportedCompatibilityDate : PROJECT_DATE;

const SIZES = [1, 10, 100];
const MODES = ["baseline", "noop", "unique"];
const JOBS = { baseline: 100_000, noop: 100_000, unique: 400 };
// One request stays well under workerd's per-request subrequest budget (each uniqueFor job makes two D1 calls).
const PER_REQUEST = { baseline: 50_000, noop: 50_000, unique: 200 };
const ROUNDS = 3;
const PORT = 8820;

export default async function run() {
  mkdirSync("dist/bench-queue", { recursive: true });
  mkdirSync("bench-results", { recursive: true });
  await build({
    entryPoints: ["bench/queue/worker.ts"],
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2023",
    outfile: "dist/bench-queue/worker.js",
    logLevel: "error",
  });

  const mf = new Miniflare({
    host: "127.0.0.1",
    port: PORT,
    modules: true,
    scriptPath: "dist/bench-queue/worker.js",
    compatibilityDate: COMPAT_DATE,
    d1Databases: { DB: "bench-db" },
    kvNamespaces: { CACHE: "bench-cache" },
    queueProducers: { JOBS: "stratus-jobs", JOBS_DLQ: "stratus-jobs-dlq" },
    bindings: { APP_KEY: "bench-key-0123456789abcdef0123456789abcdef", APP_ENV: "bench", LOG_LEVEL: "error" },
  });
  try {
    const url = await mf.ready;
    const db = await mf.getD1Database("DB");
    // Every migration, in order, as wrangler would apply them (drizzle-kit separates statements with breakpoints).
    for (const file of readdirSync("migrations").filter((f) => /^\d{4}_.*\.sql$/.test(f)).sort()) {
      const sql = readFileSync(`migrations/${file}`, "utf8").replace(/^--.*$/gm, "");
      for (const statement of sql.split(";").map((s) => s.trim()).filter(Boolean)) await db.prepare(statement).run();
    }

    const call = async (q) => {
      const res = await fetch(new URL(`/run?${q}`, url));
      if (!res.ok) throw new Error(`bench worker answered ${res.status}: ${await res.text()}`);
      return res.json();
    };
    // Warm the isolate, the bundle and D1 before timing anything.
    for (const mode of MODES) await call(`mode=${mode}&size=10&jobs=200`);
    const emptyStart = performance.now();
    for (let i = 0; i < 5; i++) await call(`mode=baseline&size=1&jobs=0`);
    const overheadMs = (performance.now() - emptyStart) / 5;

    const results = [];
    for (const size of SIZES) {
      const row = { batchSize: size };
      for (const mode of MODES) {
        const rates = [];
        for (let r = 0; r < ROUNDS; r++) {
          let jobs = 0;
          let ms = 0;
          while (jobs < JOBS[mode]) {
            const t0 = performance.now();
            const out = await call(`mode=${mode}&size=${size}&jobs=${PER_REQUEST[mode]}`);
            ms += Math.max(0.001, performance.now() - t0 - overheadMs);
            if (out.acked !== out.jobs) throw new Error(`${mode}: ${out.acked} of ${out.jobs} acked`);
            jobs += out.jobs;
          }
          rates.push((jobs / ms) * 1000);
        }
        rates.sort((a, b) => a - b);
        row[mode] = Math.round(rates[Math.floor(rates.length / 2)]);
      }
      row.noopVsBaseline = +(row.noop / row.baseline).toPrecision(3);
      row.uniqueVsBaseline = +(row.unique / row.baseline).toPrecision(3);
      results.push(row);
    }

    console.log("\njobs per second through the queue consumer (median of %d rounds)\n", ROUNDS);
    console.log("batch | baseline (hand-written) | stratus noop job | ratio | stratus uniqueFor job (D1) | ratio");
    for (const r of results) {
      console.log(
        `${String(r.batchSize).padStart(5)} | ${String(r.baseline).padStart(22)} | ${String(r.noop).padStart(16)} | ${String(r.noopVsBaseline).padStart(5)} | ${String(r.unique).padStart(26)} | ${r.uniqueVsBaseline}`,
      );
    }
    const report = {
      name: "queue",
      at: new Date().toISOString(),
      method: "Miniflare + workerd; synthetic MessageBatch-shaped batches fed to app.queue inside the Worker; Node-side wall time minus empty-request round trip; median of rounds",
      jobsPerRun: JOBS,
      rounds: ROUNDS,
      emptyRequestMs: +overheadMs.toFixed(2),
      results,
    };
    writeFileSync("bench-results/queue.json", `${JSON.stringify(report, null, 2)}\n`);
    console.log("\nwrote bench-results/queue.json");
  } finally {
    await mf.dispose();
  }
}
