// Component benchmarks: recovery on wake, actions per second, broadcast fan-out.
// Method: bench/component/worker.ts (the real Component code plus probes) is bundled with
// esbuild and served by Miniflare (workerd) on 127.0.0.1:8830. A second Node process
// (clients.mjs) holds the WebSocket clients and times fan-out on its own clock.
import { createRequire } from "node:module";
import { fork } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import WebSocket from "ws";
import { bundleWorker } from "../lib/bundle-worker.mjs";
import { childPids, cpuMicros } from "../lib/process-cpu.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
// Serve with the Miniflare (and workerd) that `wrangler dev` uses, which knows the project's compatibility date.
const { Miniflare, convertV4MiniflareOptions } = await import(createRequire(createRequire(import.meta.url).resolve("wrangler/package.json")).resolve("miniflare"));
const PORT = 8830;
const EVENTS = 100_000;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];
const round = (x, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

async function timed(url, runs) {
  const out = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const res = await fetch(url);
    await res.text();
    out.push(performance.now() - t0);
  }
  return out;
}

async function recoveryBench(base) {
  const key = "recovery";
  const t0 = performance.now();
  for (let done = 0; done < EVENTS; done += 10_000) await (await fetch(`${base}/seed?key=${key}&n=10000`)).json();
  const seedMs = performance.now() - t0;
  const stats = await (await fetch(`${base}/stats?key=${key}`)).json();
  await timed(`${base}/noop?key=${key}`, 20);
  const noop = median(await timed(`${base}/noop?key=${key}`, 50));
  const snap = median(await timed(`${base}/recover?key=${key}&mode=snapshot`, 30));
  const full = median(await timed(`${base}/recover?key=${key}&mode=full`, 5));
  const check = await (await fetch(`${base}/recover?key=${key}&mode=snapshot`)).json();
  return {
    events: stats.events,
    snapshots: stats.snapshots.length,
    seedEventsPerSec: round(EVENTS / (seedMs / 1000), 0),
    rpcRoundTripMs: round(noop),
    withSnapshotsMs: round(snap - noop),
    replayAllMs: round(full - noop),
    speedup: round((full - noop) / Math.max(0.01, snap - noop), 1),
    recoveredSeq: check.seq,
    targetMs: 10,
  };
}

function openSocket(url) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once("open", () => resolve(ws));
    ws.once("error", reject);
  });
}

/** CPU time of the workerd processes serving the bench, in µs; undefined off Linux. */
function workerdCpu() {
  const pids = childPids("workerd");
  return pids.length === 0 ? undefined : pids.reduce((sum, pid) => sum + (cpuMicros(pid) ?? 0), 0);
}

/** Sends n frames pipelined over one socket and waits for n acks. */
async function pipelined(url, n, frame) {
  const ws = await openSocket(url);
  await new Promise((r) => {
    ws.once("message", r);
    ws.send(JSON.stringify({ type: "hello", v: 1 }));
  });
  let acks = 0;
  const cpu0 = workerdCpu();
  const t0 = performance.now();
  const done = new Promise((resolve) =>
    ws.on("message", (m) => {
      // A message may carry several frames (a diff and its ack arrive as one JSON array).
      acks += String(m).split('"type":"ack"').length - 1;
      if (acks >= n) resolve();
    }),
  );
  for (let i = 0; i < n; i++) ws.send(frame(i));
  await done;
  const ms = performance.now() - t0;
  const cpu1 = workerdCpu();
  ws.close();
  return { actions: n, ms: round(ms), perSec: round(n / (ms / 1000), 0), cpuUs: cpu0 === undefined || cpu1 === undefined ? undefined : (cpu1 - cpu0) / n };
}

async function actionsBench(base) {
  const n = 2000;
  const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
  const ws = base.replace("http", "ws");
  // Rounds alternate the two sides on fresh objects and the medians are compared: one pass of
  // each swung the ratio by ±0.1 between runs on this machine.
  const stratus = [];
  const handWritten = [];
  // The first round warms the JIT on both sides and is not counted.
  for (let r = -1; r < rounds; r++) {
    const into = r < 0 ? { stratus: [], handWritten: [] } : { stratus, handWritten };
    // Each action: validated, committed to the event log, applied, rendered, diffed, broadcast, acked.
    into.stratus.push(await pipelined(`${ws}/ws?key=actions-${r}`, n, (i) => JSON.stringify({ type: "action", id: `a${i}`, name: "increment", args: { by: 1 } })));
    // Hand-written: one INSERT and one ack per frame on the same kind of object.
    into.handWritten.push(await pipelined(`${ws}/ws?key=actions-raw-${r}`, n, (i) => `append:${i}`));
  }
  const mid = (xs) => xs.map((x) => x.perSec).sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  // workerd's CPU per action (all its threads, both sides' sockets included): on a loaded machine
  // the wall-clock rates swing with what else runs, the CPU each side spends much less.
  const cpu = (xs) => (xs.some((x) => x.cpuUs === undefined) ? undefined : round(median(xs.map((x) => x.cpuUs)), 0));
  const rpcT0 = performance.now();
  await (await fetch(`${base}/dispatch?key=actions-rpc&n=1000`)).json();
  const rpcMs = performance.now() - rpcT0;
  return {
    rounds,
    actionsPerRound: n,
    socketPipelined: { medianPerSec: mid(stratus), perRound: stratus.map((x) => x.perSec) },
    handWrittenInsertAndAck: { medianPerSec: mid(handWritten), perRound: handWritten.map((x) => x.perSec) },
    ratio: round(mid(stratus) / mid(handWritten)),
    workerdCpuUsPerAction: { stratus: cpu(stratus), handWritten: cpu(handWritten) },
    cpuRatio: cpu(stratus) === undefined ? undefined : round(cpu(handWritten) / cpu(stratus)),
    rpcSequentialFromWorker: { actions: 1000, ms: round(rpcMs), perSec: round(1000 / (rpcMs / 1000), 0) },
    inObjectLoop: "see recovery.seedEventsPerSec (dispatch() called in a loop inside the object)",
    target: 1000,
    goal: "ratio >= 0.8",
  };
}

function broadcastBench(base, mode = "flush") {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL("./clients.mjs", import.meta.url)), [base.replace("http", "ws"), "1000", "150", mode], { stdio: "inherit" });
    child.once("message", resolve);
    child.once("error", reject);
    child.once("exit", (code) => code !== 0 && reject(new Error(`clients exited with ${code}`)));
  });
}

export default async function run() {
  const script = await bundleWorker("bench/component/worker.ts", "bench-component");
  const mf = new Miniflare(convertV4MiniflareOptions({
    host: "127.0.0.1",
    port: PORT,
    inspectorPort: 9330,
    workers: [
      {
        name: "bench",
        modules: true,
        scriptPath: script,
        compatibilityDate: "2026-11-01",
        durableObjects: {
          BENCH: { className: "BenchCounter", useSQLite: true },
          BENCH_DEFAULT: { className: "BenchCounterDefault", useSQLite: true },
          BENCH_VIEWER: { className: "BenchViewer", useSQLite: true },
          BENCH_VIEWER_MIXED: { className: "BenchViewerMixed", useSQLite: true },
        },
      },
    ],
  }));
  const base = (await mf.ready).toString().replace(/\/$/, "");
  const results = { method: "esbuild bundle of bench/component/worker.ts served by Miniflare/workerd; WebSocket clients in a second Node process (ws)", machine: "2 cores" };
  try {
    if (process.env.BENCH_ONLY_VIEWER) {
      results.viewerBroadcast = await broadcastBench(base, "viewer");
      console.log(JSON.stringify(results.viewerBroadcast, null, 2));
      return;
    }
    if (process.env.BENCH_ONLY_ACTIONS) {
      results.actions = await actionsBench(base);
      console.log(results.actions);
      return;
    }
    console.log("recovery: seeding 100,000 events (snapshot every 1,000)...");
    results.recovery = await recoveryBench(base);
    console.log(results.recovery);
    console.log("actions per second...");
    results.actions = await actionsBench(base);
    console.log(results.actions);
    if (process.env.BENCH_SKIP_BROADCAST) return;
    console.log("broadcast to 1,000 sockets (second process)...");
    results.broadcast = await broadcastBench(base);
    console.log(JSON.stringify(results.broadcast, null, 2));
    console.log("broadcast to 1,000 sockets, each with its own viewer state, vs shared only...");
    results.viewerBroadcast = await broadcastBench(base, "viewer");
    console.log(JSON.stringify(results.viewerBroadcast, null, 2));
  } finally {
    await mf.dispose();
  }
  mkdirSync(`${root}bench-results`, { recursive: true });
  writeFileSync(`${root}bench-results/component.json`, JSON.stringify(results, null, 2));
  console.log("wrote bench-results/component.json");
}
