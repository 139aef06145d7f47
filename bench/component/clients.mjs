// The second process: holds N real WebSocket clients on one component object and
// times, on its own clock, how long each update takes to reach the last socket.
// Alternates Stratus actions (commit + render + diff + fan-out) with the
// hand-written loop sending the same bytes to the same sockets.
import WebSocket from "ws";

const [base, nArg, itArg, mode = "flush"] = process.argv.slice(2);
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

/** Gives each socket its own viewer state (a name), one action at a time. */
async function nameAll(sockets) {
  for (let i = 0; i < sockets.length; i++) {
    const ws = sockets[i];
    const acked = new Promise((resolve) => {
      const on = (m) => {
        if (!String(m).includes(`"id":"name-${i}"`)) return;
        ws.off("message", on);
        resolve();
      };
      ws.on("message", on);
    });
    ws.send(JSON.stringify({ type: "action", id: `name-${i}`, name: "name", args: { name: `viewer ${i}` } }));
    await acked;
  }
}

async function variant(ns, { named = false } = {}) {
  const url = `${base}/ws?key=fanout&ns=${ns}`;
  const receivers = [];
  for (let i = 0; i < N; i += 50) receivers.push(...(await Promise.all(Array.from({ length: Math.min(50, N - i) }, () => connect(url)))));
  if (named) await nameAll(receivers);
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
  // Throughput: a burst of updates sent back to back; done when every socket has the last one.
  // The loop sends one frame per update; Stratus may merge them (the 16 ms window, or with flushMs 0
  // the sender's actions queued behind a flush that acked it, which is the point of coalescing), so
  // this is updates delivered to every socket per second.
  const burst = async (count, frameFor, isLast) => {
    let remaining = N;
    const t0 = performance.now();
    const done = new Promise((resolve) => {
      for (const ws of receivers) {
        const onMessage = (m) => {
          if (!isLast(String(m))) return;
          ws.off("message", onMessage);
          if (--remaining === 0) resolve(performance.now() - t0);
        };
        ws.on("message", onMessage);
      }
    });
    for (let i = 0; i < count; i++) sender.send(frameFor(i));
    return done;
  };
  pending = Number.POSITIVE_INFINITY; // the per-update counters above are idle from here on
  const BURST = 100;
  const burstOurs = [];
  const burstLoop = [];
  const template = lastFrame;
  const seq0 = Number(/"seq":(\d+)/.exec(template)?.[1] ?? 0);
  const hasSeq = (s, n) => s.includes(`"seq":${n},`) || s.includes(`"seq":${n}}`);
  for (let r = 0; r < 3; r++) {
    const last = seq0 + (r + 1) * BURST;
    burstOurs.push(await burst(BURST, (i) => JSON.stringify({ type: "action", id: `${ns}-b${r}-${i}`, name: "increment", args: { by: 1 } }), (s) => hasSeq(s, last)));
    // Same bytes, one frame per update; the last one is marked so the receivers know it.
    burstLoop.push(await burst(BURST, (i) => `raw:${template.replace(/"seq":\d+/, `"seq":${i === BURST - 1 ? -1 : i}`)}`, (s) => hasSeq(s, -1)));
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
    sequentialRatio: round(oursPerSec / loopPerSec),
    burst: {
      updates: BURST,
      stratusUpdatesPerSec: round(BURST / (pct(burstOurs, 50) / 1000)),
      handWrittenUpdatesPerSec: round(BURST / (pct(burstLoop, 50) / 1000)),
    },
    throughputRatio: round(pct(burstLoop, 50) / pct(burstOurs, 50)),
    target: 0.9,
  };
}

/** N receivers and a sender on one object, with a timer for one update reaching every receiver. */
async function room(ns, named) {
  const url = `${base}/ws?key=pair-${ns}&ns=${ns}`;
  const receivers = [];
  for (let i = 0; i < N; i += 50) receivers.push(...(await Promise.all(Array.from({ length: Math.min(50, N - i) }, () => connect(url)))));
  if (named) await nameAll(receivers);
  const sender = await connect(url);
  // Frames may coalesce (a long fan-out lets commits queue behind it): a receiver is done when it shows the target seq.
  let target = Infinity;
  let remaining = 0;
  let onDone = () => {};
  let lastFrame = "";
  let ackedSeq = -1;
  sender.on("message", (m) => {
    for (const x of String(m).matchAll(/"type":"ack","id":"[^"]*","seq":(\d+)/g)) ackedSeq = Math.max(ackedSeq, Number(x[1]));
  });
  for (const ws of receivers) {
    let shows = -1;
    ws.on("message", (m) => {
      const text = String(m);
      const seq = /"seq":(\d+)/.exec(text);
      if (!seq) return;
      lastFrame = text;
      const was = shows;
      shows = Math.max(shows, Number(seq[1]));
      if (was < target && shows >= target && --remaining === 0) onDone();
    });
  }
  // One update first, to learn the object's seq.
  sender.send(JSON.stringify({ type: "action", id: `${ns}-warm-${Date.now()}`, name: "increment", args: { by: 1 } }));
  while (ackedSeq < 0) await new Promise((r) => setTimeout(r, 20));
  let seq = ackedSeq;
  let n = 0;
  /** `count` updates back to back; resolves when every receiver shows the last one. */
  const updates = (count) =>
    new Promise((resolve) => {
      seq += count;
      target = seq;
      remaining = N;
      const t0 = performance.now();
      onDone = () => resolve(performance.now() - t0);
      for (let i = 0; i < count; i++) sender.send(JSON.stringify({ type: "action", id: `${ns}-u${Date.now()}-${n++}`, name: "increment", args: { by: 1 } }));
    });
  return { updates, frameBytes: () => lastFrame.length, close: () => [...receivers, sender].forEach((ws) => ws.terminate()) };
}

/**
 * The same view with and without a viewer part, measured interleaved (A, B, B, A, ...) so the
 * machine's load, shared with other work, weighs on both alike. flushMs 0: one frame per update,
 * except for a burst's actions queued behind a flush (they share frames, on both sides alike).
 */
async function pair(nsA, nsB) {
  const a = await room(nsA, false);
  const b = await room(nsB, true);
  await new Promise((r) => setTimeout(r, 300));
  const one = { a: [], b: [] };
  const burst = { a: [], b: [] };
  for (let i = 0; i < ITERATIONS; i++) {
    const order = i % 2 === 0 ? ["a", "b"] : ["b", "a"];
    for (const k of order) one[k].push(await (k === "a" ? a : b).updates(1));
  }
  for (let i = 0; i < 6; i++) {
    const order = i % 2 === 0 ? ["a", "b"] : ["b", "a"];
    for (const k of order) burst[k].push(await (k === "a" ? a : b).updates(20));
  }
  const sum = (xs) => xs.reduce((x, y) => x + y, 0);
  const out = {
    frameBytes: { sharedOnly: a.frameBytes(), withViewerPart: b.frameBytes() },
    oneUpdateP50Ms: { sharedOnly: round(pct(one.a, 50)), withViewerPart: round(pct(one.b, 50)) },
    burstOf20MedianMs: { sharedOnly: round(pct(burst.a, 50)), withViewerPart: round(pct(burst.b, 50)) },
    ratioOneUpdateTotal: round(sum(one.b) / sum(one.a)),
    ratioBurstMedian: round(pct(burst.b, 50) / pct(burst.a, 50)),
  };
  a.close();
  b.close();
  return out;
}

if (mode === "viewer") {
  // Every socket of the viewer object has its own viewer state (a name) shown beside the shared count.
  const unchanged = await pair("zero", "viewer");
  const changed = await pair("zero", "viewer-mixed");
  process.send({ sockets: N, viewerSlotUnchangedByCommit: unchanged, viewerSlotChangedByEveryCommit: changed, target: 1.5 });
  process.exit(0);
}
const flush0 = await variant("zero");
const flushDefault = await variant("default");
process.send({ flushMs0: flush0, flushMsDefault16: flushDefault });
process.exit(0);
