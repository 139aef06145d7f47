// The second process: holds N real WebSocket clients on one component object and
// times, on its own clock, how long each update takes to reach the last socket.
// Alternates Stratus actions (commit + render + diff + fan-out) with the
// hand-written loop sending the same bytes to the same sockets.
import WebSocket from "ws";

const [base, nArg, itArg] = process.argv.slice(2);
const N = Number(nArg);
const ITERATIONS = Number(itArg);

const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];
const round = (x) => Math.round(x * 100) / 100;

async function connect(url) {
  const ws = new WebSocket(url);
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });
  const helloDone = new Promise((resolve) => ws.once("message", resolve));
  ws.send(JSON.stringify({ type: "hello", v: 1 }));
  await helloDone;
  return ws;
}

async function variant(ns) {
  const url = `${base}/ws?key=fanout&ns=${ns}`;
  const receivers = [];
  for (let i = 0; i < N; i += 50) receivers.push(...(await Promise.all(Array.from({ length: Math.min(50, N - i) }, () => connect(url)))));
  const sender = await connect(url);
  await new Promise((r) => setTimeout(r, 300)); // let presence joins drain
  let pending = 0;
  let onDone = () => {};
  let lastFrame = "";
  for (const ws of receivers) {
    ws.on("message", (m) => {
      const s = String(m);
      if (s.startsWith('{"type":"presence"')) return;
      lastFrame = s;
      if (--pending === 0) onDone();
    });
  }
  const fanout = (send) =>
    new Promise((resolve) => {
      pending = N;
      const t0 = performance.now();
      onDone = () => resolve(performance.now() - t0);
      send();
    });
  const ours = [];
  const loop = [];
  let bytes = 0;
  for (let i = 0; i < ITERATIONS; i++) {
    ours.push(await fanout(() => sender.send(JSON.stringify({ type: "action", id: `${ns}-${i}`, name: "increment", args: { by: 1 } }))));
    bytes = lastFrame.length;
    const same = lastFrame;
    loop.push(await fanout(() => sender.send(`raw:${same}`)));
  }
  for (const ws of [...receivers, sender]) ws.terminate();
  const sum = (xs) => xs.reduce((a, b) => a + b, 0);
  const oursPerSec = ITERATIONS / (sum(ours) / 1000);
  const loopPerSec = ITERATIONS / (sum(loop) / 1000);
  return {
    sockets: N + 1,
    updates: ITERATIONS,
    frameBytes: bytes,
    stratus: { p50Ms: round(pct(ours, 50)), p99Ms: round(pct(ours, 99)), updatesPerSec: round(oursPerSec) },
    handWrittenLoop: { p50Ms: round(pct(loop, 50)), p99Ms: round(pct(loop, 99)), updatesPerSec: round(loopPerSec) },
    throughputRatio: round(oursPerSec / loopPerSec),
    target: 0.9,
  };
}

const flush0 = await variant("zero");
const flushDefault = await variant("default");
process.send({ flushMs0: flush0, flushMsDefault16: flushDefault });
process.exit(0);
