// `npm run bench -- http [--duration 1] [--rounds 40] [--connections 50] [--warmup 6]`
//
// Builds the Stratus Worker with `wrangler deploy --dry-run --outdir`, bundles a
// hand-written bare Worker and a Hono app, serves all three from one `workerd`
// process (a generated capnp config, no dev proxy), and loads each from this
// process with autocannon. The machine is shared and noisy, so the targets take
// turns in short rounds, ratios are taken per round (neighbouring runs see the
// same background load) and the median wins; workerd's own CPU time per request
// (from /proc) is reported too, as it hardly moves with background load.
// Prints a table; writes bench-results/http.json.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { build } from "esbuild";
import { cpuMicros } from "../lib/process-cpu.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const bin = (name) => join(root, "node_modules/.bin", name);

const PORTS = { bare: 8801, stratus: 8802, hono: 8803 };
const ROUTE = "/hello/world";
const HEADERS = { origin: "http://localhost:8787", accept: "application/json" };
const VARS = {
  APP_KEY: "bench-key-0123456789abcdef0123456789abcdef",
  APP_ENV: "production",
  APP_DEBUG: "false",
  CORS_ORIGINS: "http://localhost:8787",
  LOG_LEVEL: "info",
};

function option(args, name, fallback) {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? Number(args[i + 1]) : fallback;
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** workerd refuses compatibility dates newer than its own build; use the older of the two. */
function compatibilityDate() {
  const wanted = /compatibility_date\s*=\s*"([\d-]+)"/.exec(run("cat", ["wrangler.toml"]))?.[1] ?? "2025-01-01";
  const supported = /(\d{4}-\d{2}-\d{2})/.exec(run(bin("workerd"), ["--version"]))?.[1] ?? wanted;
  return wanted < supported ? wanted : supported;
}

function capnp(date) {
  const bindings = Object.entries(VARS).map(([k, v]) => `(name = "${k}", text = "${v}")`).join(", ");
  const worker = (name, file) =>
    `const ${name} :Workerd.Worker = (modules = [(name = "worker.js", esModule = embed "${file}")], compatibilityDate = "${date}", bindings = [${bindings}]);`;
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [${Object.keys(PORTS).map((n) => `(name = "${n}", worker = .${n})`).join(", ")}],
  sockets = [${Object.entries(PORTS).map(([n, p]) => `(name = "${n}", address = "127.0.0.1:${p}", http = (), service = "${n}")`).join(", ")}],
);
${worker("bare", "bare.js")}
${worker("stratus", "stratus/index.js")}
${worker("hono", "hono.js")}
`;
}

async function waitFor(url, ms = 15_000) {
  const until = Date.now() + ms;
  for (;;) {
    try {
      const res = await fetch(url, { headers: HEADERS });
      if (res.ok) return res;
    } catch {}
    if (Date.now() > until) throw new Error(`workerd did not answer ${url}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function load(name, duration, connections) {
  return new Promise((resolvePromise, reject) => {
    autocannon(
      { url: `http://127.0.0.1:${PORTS[name]}${ROUTE}`, headers: HEADERS, duration, connections },
      (err, result) => (err ? reject(err) : resolvePromise(result)),
    );
  });
}

export default async function main(args) {
  // Many short rounds rather than a few long ones: this machine's speed drifts by tens of
  // percent within seconds, and the median of many neighbouring pairs is what holds still.
  const duration = option(args, "duration", 1);
  const rounds = option(args, "rounds", 40);
  const connections = option(args, "connections", 50);
  const warmup = option(args, "warmup", 6);
  const dir = mkdtempSync(join(tmpdir(), "stratus-bench-http-"));
  let workerd;
  try {
    console.log("bench http: building the Worker (wrangler deploy --dry-run)...");
    run(bin("wrangler"), ["deploy", "--dry-run", "--outdir", join(dir, "stratus")]);
    const common = { bundle: true, format: "esm", platform: "neutral", minify: false, logLevel: "error" };
    await build({ ...common, entryPoints: [join(here, "bare.mjs")], outfile: join(dir, "bare.js") });
    await build({ ...common, entryPoints: [join(here, "hono-app.mjs")], outfile: join(dir, "hono.js") });
    writeFileSync(join(dir, "config.capnp"), capnp(compatibilityDate()));

    // Worker logs (one access line per request in all three) go to a sink, as in production.
    // With two or more cores and taskset, workerd and the load generator get a core each, so the
    // load generator's own work does not land in the server's figures.
    const pin = cpus().length >= 2 && spawnSync("taskset", ["-V"]).status === 0;
    if (pin) spawnSync("taskset", ["-cp", "1", String(process.pid)]);
    const serve = [bin("workerd"), "serve", join(dir, "config.capnp")];
    workerd = pin
      ? spawn("taskset", ["-c", "0", ...serve], { cwd: dir, stdio: ["ignore", "ignore", "pipe"] })
      : spawn(serve[0], serve.slice(1), { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
    if (pin) console.log("bench http: workerd pinned to CPU 0, load generator to CPU 1");
    let stderr = "";
    workerd.stderr.on("data", (d) => (stderr = (stderr + d).slice(-4000)));
    workerd.on("exit", (code) => code && console.error(`workerd exited with ${code}\n${stderr}`));

    for (const name of Object.keys(PORTS)) {
      const res = await waitFor(`http://127.0.0.1:${PORTS[name]}${ROUTE}`);
      const body = await res.text();
      if (body !== '{"hello":"world"}' || !res.headers.get("x-request-id") || !res.headers.get("access-control-allow-origin")) {
        throw new Error(`${name} answered ${ROUTE} unexpectedly: ${body} ${JSON.stringify([...res.headers])}`);
      }
      // Warm-up: JIT tiers, the isolate's heap (workerd's RSS keeps growing for ~10 s of load), pools.
      await load(name, warmup, connections);
    }

    const samples = { bare: [], stratus: [], hono: [] };
    for (let round = 1; round <= rounds; round++) {
      // The order flips every round, so no target always runs just after another's garbage.
      const order = round % 2 ? Object.keys(PORTS) : Object.keys(PORTS).reverse();
      for (const name of order) {
        const cpuBefore = cpuMicros(workerd.pid);
        const r = await load(name, duration, connections);
        const cpuAfter = cpuMicros(workerd.pid);
        if (r.non2xx || r.errors) throw new Error(`${name}: ${r.non2xx} non-2xx, ${r.errors} errors`);
        const cpuPerRequest = cpuBefore === undefined ? null : (cpuAfter - cpuBefore) / r.requests.total;
        // Total over elapsed time: with 1 s rounds, autocannon's per-second average is a single sample.
        samples[name].push({ rps: r.requests.total / r.duration, p99: r.latency.p99, cpuUs: cpuPerRequest });
      }
      const line = Object.entries(samples).map(([n, s]) => `${n} ${s.at(-1).rps.toFixed(0).padStart(6)}`).join("  ");
      console.log(`  round ${String(round).padStart(2)}: ${line} req/s`);
    }

    const median = (xs) => {
      const s = xs.filter((x) => x !== null).sort((a, b) => a - b);
      if (s.length === 0) return null;
      return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    };
    const round3 = (x) => (x === null ? null : Number(x.toFixed(3)));
    // A 95% bootstrap interval for the median paired ratio: how far this run's noise lets the
    // figure move. Seeded, so the same samples always give the same interval.
    const interval = (ratios) => {
      let seed = 0x9e3779b9;
      const random = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
      const medians = Array.from({ length: 2000 }, () => median(ratios.map(() => ratios[Math.floor(random() * ratios.length)])));
      medians.sort((a, b) => a - b);
      return [round3(medians[49]), round3(medians[1949])];
    };
    const results = {};
    for (const [name, s] of Object.entries(samples)) {
      const cpuUs = median(s.map((x) => x.cpuUs));
      const bareCpu = median(samples.bare.map((x) => x.cpuUs));
      const ratios = s.map((x, i) => x.rps / samples.bare[i].rps);
      results[name] = {
        rps: Math.round(median(s.map((x) => x.rps))),
        p99Ms: median(s.map((x) => x.p99)),
        // Paired: each round's req/s over the bare Worker's in the same round.
        ratioToBare: round3(median(ratios)),
        ratioInterval95: interval(ratios),
        cpuUsPerRequest: cpuUs === null ? null : Number(cpuUs.toFixed(1)),
        cpuRatioToBare: cpuUs === null ? null : round3(bareCpu / cpuUs),
      };
    }

    console.log(`\nGET ${ROUTE} through the full global middleware stack, ${connections} connections, ${rounds} rounds × ${duration}s, medians\n`);
    console.log("target     req/s   p99 (ms)   ×bare req/s   95% interval   workerd CPU µs/req   ×bare by CPU");
    for (const [name, r] of Object.entries(results)) {
      console.log(
        `${name.padEnd(8)} ${String(r.rps).padStart(7)}   ${r.p99Ms.toFixed(1).padStart(8)}   ${r.ratioToBare.toFixed(3).padStart(11)}   ${r.ratioInterval95.map((x) => x.toFixed(3)).join("–").padStart(12)}   ${String(r.cpuUsPerRequest ?? "n/a").padStart(18)}   ${String(r.cpuRatioToBare ?? "n/a").padStart(12)}`,
      );
    }
    const pass = results.stratus.ratioToBare >= 0.9;
    const [low, high] = results.stratus.ratioInterval95;
    console.log(`\nstratus/bare = ${results.stratus.ratioToBare} req/s, 95% interval ${low}–${high} (target ≥ 0.90: ${pass ? "met" : "NOT met"}), ${results.stratus.cpuRatioToBare ?? "n/a"} by CPU per request`);

    mkdirSync(join(root, "bench-results"), { recursive: true });
    const out = {
      bench: "http",
      date: new Date().toISOString(),
      route: ROUTE,
      server: "workerd serve (generated capnp config, no dev proxy)",
      load: { tool: "autocannon", connections, duration, rounds, warmup },
      results,
      samples,
      target: { stratusToBare: 0.9, met: pass },
    };
    writeFileSync(join(root, "bench-results/http.json"), `${JSON.stringify(out, null, 2)}\n`);
    console.log("wrote bench-results/http.json");
  } finally {
    workerd?.kill("SIGTERM");
    if (!process.env.BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
    else console.log(`kept ${dir}`);
  }
}
