// `npm run bench -- cache`: one article read three ways through the same Worker (uncached D1,
// memory-tier cache, KV-tier cache, plus tiered), served by workerd and loaded by autocannon from a
// second process. The Worker is built with `wrangler deploy --dry-run --outdir`; it is served by
// workerd through Miniflare's programmatic API, because bare workerd has no local D1 or KV
// (Miniflare supplies both, backed by SQLite files, exactly as `wrangler dev` does).
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { Miniflare } from "miniflare";

const PORT = Number(process.env.BENCH_PORT ?? 8815);
const DURATION = Number(process.env.BENCH_DURATION ?? 6);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const outdir = resolve("dist/bench-cache");

const build = spawnSync("wrangler", ["deploy", "--dry-run", "--outdir", outdir, "--config", "bench/cache/wrangler.toml"], { stdio: ["ignore", "ignore", "inherit"] });
if (build.status !== 0) process.exit(build.status ?? 1);

const mf = new Miniflare({
  modules: true,
  modulesRoot: outdir,
  scriptPath: resolve(outdir, "worker.js"),
  // The installed miniflare 4's workerd supports dates up to 2026-08; nothing this Worker uses changed since.
  compatibilityDate: "2026-08-01",
  d1Databases: { DB: "bench-db" },
  kvNamespaces: { CACHE: "bench-kv" },
  bindings: { APP_KEY: "bench-key", APP_ENV: "bench", LOG_LEVEL: "error" },
  host: "127.0.0.1",
  port: PORT,
  inspectorPort: 0,
});

try {
  const url = await mf.ready;
  const db = await mf.getD1Database("DB");
  for (const file of readdirSync("migrations").filter((f) => f.endsWith(".sql")).sort()) {
    for (const stmt of readFileSync(`migrations/${file}`, "utf8").split("--> statement-breakpoint")) {
      if (stmt.trim()) await db.prepare(stmt).run();
    }
  }
  await db.prepare("insert into users (id, email, name, created_at, updated_at) values ('u1', 'bench@example.com', 'Bench', 0, 0)").run();
  // A realistic article: ~2 KB body, a few tags, surrounded by other rows so the read uses the index.
  const insert = db.prepare("insert into articles (id, author_id, title, slug, body, tags, published_at, created_at, updated_at) values (?, 'u1', ?, ?, ?, ?, ?, ?, ?)");
  const rows = Array.from({ length: 500 }, (_, i) => insert.bind(`a${i}`, `Article ${i}`, `article-${i}`, "Lorem ipsum dolor sit amet. ".repeat(70), JSON.stringify(["edge", "news", `t${i % 7}`]), i * 1000, i * 1000, i * 1000));
  for (let i = 0; i < rows.length; i += 50) await db.batch(rows.slice(i, i + 50));

  const targets = { d1: "/d1/a250", memory: "/memory/a250", kv: "/kv/a250", tiered: "/tiered/a250" };
  for (const [name, path] of Object.entries(targets)) {
    const res = await fetch(new URL(path, url));
    if (res.status !== 200) throw new Error(`${name}: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
  }

  const results = Object.fromEntries(Object.keys(targets).map((k) => [k, []]));
  // Rounds alternate the targets so drift on a shared 2-core machine falls on all of them alike.
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, path] of Object.entries(targets)) {
      const r = await load(new URL(path, url).href);
      results[name].push(r);
      console.log(`round ${round + 1} ${name.padEnd(7)} ${r.requests.average.toFixed(0).padStart(6)} req/s  p50 ${r.latency.p50} ms  p99 ${r.latency.p99} ms  non2xx ${r.non2xx}`);
    }
  }

  const summary = {};
  for (const [name, runs] of Object.entries(results)) {
    const rps = median(runs.map((r) => r.requests.average));
    summary[name] = { rps: Math.round(rps), p50Ms: median(runs.map((r) => r.latency.p50)), p99Ms: median(runs.map((r) => r.latency.p99)), errors: runs.reduce((n, r) => n + r.errors + r.non2xx, 0) };
  }
  const ratios = {
    memoryVsD1: +(summary.memory.rps / summary.d1.rps).toFixed(2),
    kvVsD1: +(summary.kv.rps / summary.d1.rps).toFixed(2),
    tieredVsD1: +(summary.tiered.rps / summary.d1.rps).toFixed(2),
  };
  const report = {
    bench: "cache",
    date: new Date().toISOString(),
    setup: { server: "workerd via Miniflare (local D1 and KV on SQLite)", load: "autocannon in a child process", connections: CONNECTIONS, durationSeconds: DURATION, rounds: ROUNDS },
    results: summary,
    ratios,
    note: "Ratios of throughput against the uncached D1 read, same Worker, same run. Local D1 and KV are SQLite on this machine, so this compares code paths, not Cloudflare's network latencies.",
  };
  mkdirSync("bench-results", { recursive: true });
  writeFileSync("bench-results/cache.json", JSON.stringify(report, null, 2) + "\n");
  console.log(`\nthroughput vs uncached D1 read: memory ×${ratios.memoryVsD1}, KV ×${ratios.kvVsD1}, tiered ×${ratios.tieredVsD1}`);
  console.log("written to bench-results/cache.json");
} finally {
  await mf.dispose();
}

function load(target) {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ["node_modules/autocannon/autocannon.js", "-j", "-c", String(CONNECTIONS), "-d", String(DURATION), target], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("exit", (code) => (code === 0 ? done(JSON.parse(out)) : fail(new Error(`autocannon exited ${code}`))));
  });
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
