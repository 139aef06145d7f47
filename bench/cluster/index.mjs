// Cluster benchmarks (issue 14). `npm run bench -- cluster [sim|hops|sockets|all] [key=value ...]`
// - sim: the deterministic relay-protocol simulation (bench/cluster/sim), driving the real RelayCore,
//   Sequencer, FrameRing and RelayLinks; key=value sets any SimConfig field (numbers, or JSON).
// - hops: per-hop costs in workerd (Miniflare): root→relay push RPC, relay send per socket, resume from the ring.
// - sockets: 10,000 real WebSocket clients asked (as many as workerd fits: 9,940 under a 20,000 file
//   limit) through relays against as many on one object, same run.
// - hop: push by batched RPC vs a relay-held WebSocket, and the relay's send loop (bench/cluster/hop).
// Results merge into bench-results/cluster.json (one key per part).
import { build } from "esbuild";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** Production-like defaults (issue 14): 20-40 ms between objects, 10-100 ms to viewers, 10 updates/s, 1,000,000 viewers. */
export const simDefaults = {
  seed: 20261203,
  relays: 200,
  viewersPerRelay: 5000,
  frames: 500,
  intervalMs: 100,
  frameBytes: 100,
  hopMs: [20, 40],
  viewerMs: [10, 100],
  dropRate: 0.01,
  dupRate: 0.01,
  fetchFailRate: 0.01,
  relayEvictions: 20,
  relayCrashes: 5,
  rootEvictions: 1,
  rootDownMs: 1000,
  reconnectMs: [0, 2000],
  stormAt: 15_000,
  stormMs: 30_000,
  heartbeatMs: 5000,
  // hubs=N puts N hubs between the root and the relays (relay i under hub i mod N).
  hubs: 0,
  hubEvictions: 5,
  // Relay: the ring of durable-objects/cluster/relay.ts. Root: the component's resumeBuffer (256, up to a quarter more).
  relayRing: { maxFrames: 512, maxBytes: 8 * 1024 * 1024 },
  rootRing: { maxFrames: 320, maxBytes: 64 * 1024 * 1024 },
};

async function bundle(entry) {
  const out = join(mkdtempSync(join(tmpdir(), "stratus-cluster-")), "bundle.mjs");
  await build({ entryPoints: [`${root}${entry}`], bundle: true, format: "esm", platform: "node", target: "es2023", outfile: out, logLevel: "warning" });
  return import(pathToFileURL(out).href);
}

export function parseParams(args, defaults) {
  const config = { ...defaults };
  for (const arg of args) {
    const [key, value] = arg.split("=");
    if (!(key in defaults) || value === undefined) throw new Error(`unknown parameter ${arg}; known: ${Object.keys(defaults).join(", ")}`);
    config[key] = JSON.parse(value);
  }
  return config;
}

async function sim(args) {
  const config = parseParams(args, simDefaults);
  const { simulate } = await bundle("bench/cluster/sim/sim.ts");
  const started = performance.now();
  const result = await simulate(config);
  const report = { config, result, wallMs: Math.round(performance.now() - started), heapMB: Math.round(process.memoryUsage().rss / 1e6) };
  console.log(JSON.stringify(report, null, 2));
  if (!result.exactlyOnce || result.historyOverflows > 0) process.exitCode = 1;
  return report;
}

function save(part, report) {
  const dir = join(root, "bench-results");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "cluster.json");
  let all = {};
  try {
    all = JSON.parse(readFileSync(file, "utf8"));
  } catch {}
  all[part] = { ...report, at: new Date().toISOString() };
  writeFileSync(file, JSON.stringify(all, null, 2) + "\n");
  console.error(`wrote ${file} (${part})`);
}

const parts = {
  sim,
  hops: async (args) => (await import("./hops.mjs")).default(args),
  sockets: async (args) => (await import("./sockets.mjs")).default(args),
  hop: async () => {
    const { hop } = await import("./hop/index.mjs");
    const report = await hop();
    console.log(JSON.stringify(report, null, 2));
    return report;
  },
};

export default async function cluster(args) {
  const which = args[0] && !args[0].includes("=") ? args[0] : "sim";
  const rest = args[0] === which ? args.slice(1) : args;
  const names = which === "all" ? Object.keys(parts) : [which];
  for (const name of names) {
    if (!parts[name]) throw new Error(`unknown part ${name}; one of ${Object.keys(parts).join(", ")}, all`);
    save(name, await parts[name](which === "all" ? [] : rest));
  }
}
