// News page views, three ways side by side: `/news` from the render the root publishes to KV (the app's
// setting, renders: "published"), from the Cache API window (renders: "cached", LIVE_RENDER_CACHE_MS=1000)
// and through the root on every view (renders: "root"): three `wrangler dev` servers of the real app,
// loaded in alternating rounds by autocannon. The News object counts every page render it serves
// (/news/stats.json), which gives root requests per 1,000 page views (goal: <= 1).
// Usage: npm run bench -- news [seconds per round, default 5] (BENCH_ROUNDS, default 3; NEWS_BENCH_CACHE_MS, default 1000)
// Cached: the root serves about one render per cache window whatever the traffic, so root requests per
// 1,000 views are 1000 / (views per second x window in seconds). Published: none while nothing changes.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";

const root = fileURLToPath(new URL("../..", import.meta.url));
const wrangler = join(root, "node_modules/.bin/wrangler");
const offset = Number(process.env.E2E_PORT_OFFSET ?? 0);
const round = (x, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function server(name, port, renders, cacheMs = 0) {
  const persist = mkdtempSync(join(tmpdir(), `stratus-bench-news-${name}-`));
  const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1" };
  const m = spawnSync(wrangler, ["d1", "migrations", "apply", "DB", "--local", "--persist-to", persist], { cwd: root, encoding: "utf8", env });
  if (m.status !== 0) throw new Error(`migrations failed: ${m.stderr}`);
  const url = `http://localhost:${port}`;
  const vars = { APP_KEY: "bench-app-key-0123456789abcdef0123456789abcdef", APP_URL: url, CORS_ORIGINS: url, LIVE_RENDER_CACHE_MS: String(cacheMs), NEWS_RENDERS: renders, LOG_LEVEL: "error" };
  const args = ["dev", "--local", "--port", String(port), "--inspector-port", String(port + 1000), "--persist-to", persist, ...Object.entries(vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]), "--show-interactive-dev-session=false"];
  const child = spawn(wrangler, args, {
    cwd: root, env, stdio: ["ignore", "ignore", "pipe"], detached: true,
  });
  let err = "";
  child.stderr.on("data", (d) => (err = (err + d).slice(-4000)));
  const deadline = Date.now() + 90_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {}
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`wrangler dev (${name}) did not start: ${err}`);
    await sleep(300);
  }
  return {
    name, url, cacheMs, renders,
    async stats() {
      return (await fetch(`${url}/news/stats.json`)).json();
    },
    stop() {
      try { process.kill(-child.pid, "SIGTERM"); } catch {}
      rmSync(persist, { recursive: true, force: true });
    },
  };
}

async function load(s, seconds) {
  const before = await s.stats();
  const r = await autocannon({ url: `${s.url}/news`, connections: 10, duration: seconds, headers: { accept: "text/html" } });
  const after = await s.stats();
  // The stats calls are root requests but not renders: only page renders are counted.
  const rootRenders = after.renders - before.renders;
  const views = r.requests.total;
  return { perSec: round(r.requests.average, 0), views, non2xx: r.non2xx, errors: r.errors, rootRenders, rootPer1000: round((rootRenders / Math.max(1, views)) * 1000, 3) };
}

export default async function main(args) {
  const seconds = Number(args[0] ?? 5);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const servers = [];
  try {
    const cacheMs = Number(process.env.NEWS_BENCH_CACHE_MS ?? 1000);
    servers.push(await server("published", 8881 + offset, "published"));
    servers.push(await server("cached", 8883 + offset, "cached", cacheMs));
    servers.push(await server("root", 8885 + offset, "root"));
    // The first views: a published render starts with the first miss (the root writes it within a second).
    for (const s of servers) for (let i = 0; i < 3; i++) await fetch(`${s.url}/news`);
    await sleep(1500);
    const results = { published: [], cached: [], root: [] };
    for (let r = -1; r < rounds; r++) {
      for (const s of servers) {
        const out = await load(s, r < 0 ? 2 : seconds);
        if (r >= 0) results[s.name].push(out);
      }
    }
    const summary = (xs) => ({ medianPerSec: median(xs.map((x) => x.perSec)), rootPer1000: median(xs.map((x) => x.rootPer1000)), rounds: xs });
    const published = summary(results.published);
    const cached = summary(results.cached);
    const direct = summary(results.root);
    const out = {
      bench: "news",
      method: `autocannon, 10 connections, ${seconds}s rounds x ${rounds} alternating, three wrangler dev servers of the app`,
      publishedRender: published,
      cachedRender: cached,
      throughRoot: direct,
      ratioPublished: round(published.medianPerSec / Math.max(1, direct.medianPerSec)),
      ratioCached: round(cached.medianPerSec / Math.max(1, direct.medianPerSec)),
      cacheWindowMs: cacheMs,
      goal: "publishedRender.rootPer1000 <= 1",
      met: published.rootPer1000 <= 1,
    };
    console.log(JSON.stringify(out, null, 2));
  } finally {
    for (const s of servers) s.stop();
  }
}
