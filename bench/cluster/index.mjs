// Cluster benchmarks. So far: the deterministic relay-protocol simulation (bench/cluster/sim), which
// drives the real Sequencer and FrameRing. Parameters as key=value (any SimConfig field; numbers,
// or JSON for ranges and rings), e.g. `npm run bench -- cluster relays=1000 viewersPerRelay=1000`.
// `npm run bench -- cluster hop`: per-hop costs in workerd (push by RPC vs relay-held WebSocket, relay fan-out).
import { build } from "esbuild";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** Production-like defaults (issue 14): 20-40 ms between objects, 10-100 ms to viewers, 10 updates/s. */
const defaults = {
  seed: 20261202,
  relays: 100,
  viewersPerRelay: 1000,
  frames: 100,
  intervalMs: 100,
  hopMs: [20, 40],
  viewerMs: [10, 100],
  dropRate: 0.01,
  dupRate: 0.01,
  fetchFailRate: 0.01,
  relayRestarts: 10,
  reconnectMs: [0, 2000],
  heartbeatMs: 1000,
  relayRing: { maxFrames: 256, maxBytes: 4 * 1024 * 1024 },
  rootRing: { maxFrames: 10_000, maxBytes: 64 * 1024 * 1024 },
};

export default async function cluster(args) {
  if (args[0] === "hop") {
    const { hop } = await import("./hop/index.mjs");
    console.log(JSON.stringify(await hop(), null, 2));
    return;
  }
  const config = { ...defaults };
  for (const arg of args) {
    const [key, value] = arg.split("=");
    if (!(key in defaults) || value === undefined) throw new Error(`unknown parameter ${arg}; known: ${Object.keys(defaults).join(", ")}`);
    config[key] = JSON.parse(value);
  }
  const out = join(mkdtempSync(join(tmpdir(), "stratus-cluster-")), "sim.mjs");
  await build({ entryPoints: [`${root}bench/cluster/sim/sim.ts`], bundle: true, format: "esm", platform: "node", target: "es2023", outfile: out, logLevel: "warning" });
  const { simulate } = await import(pathToFileURL(out).href);
  const started = performance.now();
  const result = await simulate(config);
  const report = { config, result, wallMs: Math.round(performance.now() - started) };
  console.log(JSON.stringify(report, null, 2));
  const ok = result.behind === 0 && result.violations === 0 && result.sequencerViolations === 0;
  if (!ok) process.exitCode = 1;
}
