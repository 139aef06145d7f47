// The client process of the cluster socket benchmarks: holds real WebSocket clients (ws) on the
// root directly or spread over relays, binding local addresses 127.0.0.2… so more sockets fit than
// one source address's ephemeral ports. Driven by the parent over IPC, one command at a time:
//   { cmd: "connect", base, key, count, relays: [names] | [] }   adds `count` sockets (round-robin over relays, or direct)
//   { cmd: "latency", iterations, bytes }  sequential updates: commit to the last viewer, each
//   { cmd: "burst", count, bytes }         updates back to back: updates/s to every viewer
//   { cmd: "resume", relay, back }         a new socket resumes `back` seqs behind the head: hello to the last frame
//   { cmd: "close" }                       closes everything; answers the checks
// Every socket checks its frames as the browser would: a diff must start at the seq it shows.
import WebSocket from "ws";

const ADDRESSES = Array.from({ length: 8 }, (_, i) => `127.0.0.${i + 2}`);
const sockets = [];
let sender;
let next = 0;
const checks = { lost: 0, duplicated: 0, renders: 0 };
/** Sockets whose last seq reached `target`, and who to tell when all have. */
let target = Infinity;
let reached = 0;
let onAll = () => {};

const SEQ = /"seq":(\d+)/;
const FROM = /"from":(\d+)/;

function track(s, text) {
  // A relay sends what one push delivered as one message, a JSON array of frames; the root sends one
  // frame per message to viewers that send no actions (read from its head, without parsing it all).
  if (text.startsWith("[")) {
    for (const f of JSON.parse(text)) if (f.type === "diff" || f.type === "render") seen(s, f.type, f.seq, f.from);
  } else if (text.startsWith('{"type":"diff"') || text.startsWith('{"type":"render"')) {
    const head = text.slice(0, 64);
    seen(s, text.startsWith('{"type":"diff"') ? "diff" : "render", Number(SEQ.exec(head)[1]), Number(FROM.exec(head)?.[1]));
  }
}

/** One frame, checked as the browser would: a diff must start at the seq the socket shows. */
function seen(s, type, seq, from) {
  if (type === "diff") {
    if (from !== s.last) {
      if (seq <= s.last) checks.duplicated++;
      else checks.lost++;
      if (seq <= s.last) return;
    }
  } else if (s.last >= 0) checks.renders++;
  s.last = seq;
  if (s.last >= target && !s.counted) {
    s.counted = true;
    if (++reached === sockets.length) onAll();
  }
}

/** Opens a socket and says hello; `tracked` sockets check every frame from the first (it may come before `open` resolves). */
function open(url, since, tracked = false) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { localAddress: ADDRESSES[next++ % ADDRESSES.length], perMessageDeflate: false });
    const s = { ws, last: -1, counted: false };
    if (tracked) ws.on("message", (m) => track(s, String(m)));
    ws.once("error", reject);
    ws.once("open", () => {
      ws.send(JSON.stringify({ type: "hello", v: 1, ...(since !== undefined ? { since } : {}) }));
      resolve(s);
    });
  });
}

/** Waits until the socket shows a state (its render or resumed head). */
function ready(s) {
  return new Promise((resolve) => {
    if (s.last >= 0) return resolve();
    const onMessage = () => {
      if (s.last >= 0) {
        s.ws.off("message", onMessage);
        resolve();
      }
    };
    s.ws.on("message", onMessage);
  });
}

async function connect({ base, key, count, relays }) {
  if (!sender) {
    sender = await open(`${base}/ws?key=${key}`);
    sender.acks = 0;
    sender.ws.on("message", (m) => {
      const t = String(m);
      if (t.includes('"type":"ack"')) sender.acks += t.split('"type":"ack"').length - 1;
    });
  }
  const t0 = performance.now();
  for (let i = 0; i < count; i += 200) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(200, count - i) }, (_, j) => {
        const relay = relays.length ? relays[(sockets.length + i + j) % relays.length] : undefined;
        return open(`${base}/ws?key=${key}${relay ? `&relay=${relay}` : ""}`, undefined, true);
      }),
    );
    sockets.push(...batch);
    await Promise.all(batch.map(ready));
    if ((i + 200) % 2000 === 0) console.error(`clients: ${sockets.length} connected, ${Math.round(performance.now() - t0)} ms`);
  }
  return { sockets: sockets.length, connectMs: Math.round(performance.now() - t0) };
}

const head = () => Math.max(...sockets.map((s) => s.last));

/** Sends `count` actions at once; resolves when every socket shows the last one. */
function updates(count, bytes) {
  const start = head();
  target = start + count;
  reached = 0;
  for (const s of sockets) s.counted = s.last >= target;
  reached = sockets.filter((s) => s.counted).length;
  const t0 = performance.now();
  const done = new Promise((resolve) => (onAll = () => resolve(performance.now() - t0)));
  for (let i = 0; i < count; i++) sender.ws.send(JSON.stringify({ type: "action", id: `u${start}-${i}-${Math.random()}`, name: "bump", args: { bytes } }));
  return done;
}

const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];
const round = (x) => Math.round(x * 100) / 100;

async function latency({ iterations, bytes }) {
  await updates(1, bytes); // warm
  const ms = [];
  for (let i = 0; i < iterations; i++) ms.push(await updates(1, bytes));
  return { sockets: sockets.length, bytes, iterations, p50: round(pct(ms, 50)), p99: round(pct(ms, 99)), max: round(Math.max(...ms)), perSocketUs: round((pct(ms, 50) * 1000) / sockets.length) };
}

async function burst({ count, bytes }) {
  const ms = await updates(count, bytes);
  return { sockets: sockets.length, bytes, updates: count, ms: round(ms), updatesPerSec: round(count / (ms / 1000)) };
}

async function resume({ base, key, relay, back: wanted }) {
  const h = head();
  const back = Math.min(wanted, h);
  const out = {};
  for (const [name, since] of [["atHead", h], ["behind", h - back]]) {
    const ms = [];
    for (let i = 0; i < 7; i++) {
      const s = await open(`${base}/ws?key=${key}${relay ? `&relay=${relay}` : ""}`, since);
      const t0 = performance.now();
      await new Promise((resolve, reject) => {
        setTimeout(() => reject(new Error(`resume from ${since} (head ${h}) did not finish in 20 s`)), 20_000).unref();
        s.last = since;
        const onMessage = (m) => {
          const text = String(m);
          if (text.startsWith('{"type":"presence"') && text.includes('"list"') && s.last >= h) return resolve(); // presence follows the catch-up
          if (text.startsWith("{\"type\":\"diff\"") || text.startsWith("{\"type\":\"render\"")) {
            const seq = Number(SEQ.exec(text.slice(0, 64))[1]);
            if (text.startsWith("{\"type\":\"render\"")) out.renders = (out.renders ?? 0) + 1;
            s.last = seq;
          }
        };
        s.ws.on("message", onMessage);
      });
      ms.push(performance.now() - t0);
      s.ws.close();
    }
    out[name] = round(pct(ms, 50));
  }
  return { via: relay ? "relay ring" : "root (resume buffer in SQLite)", back, helloToCaughtUpMs: out, costOfFramesMs: round(out.behind - out.atHead), renders: out.renders ?? 0 };
}

/** Closes every socket and waits for the close handshakes, so the server has let go of them before the other side connects. */
async function close() {
  const all = [...sockets, ...(sender ? [sender] : [])];
  const t0 = performance.now();
  const closed = all.map((s) => (s.ws.readyState === WebSocket.CLOSED ? undefined : new Promise((r) => s.ws.once("close", r))));
  for (const s of all) s.ws.close();
  await Promise.race([Promise.all(closed), new Promise((r) => setTimeout(r, 60_000).unref())]);
  sockets.length = 0;
  sender = undefined;
  const c = { ...checks, closeMs: Math.round(performance.now() - t0) };
  checks.lost = checks.duplicated = checks.renders = 0;
  return c;
}

const commands = { connect, latency, burst, resume, close };
process.on("message", async (m) => {
  try {
    process.send({ ok: true, result: await commands[m.cmd](m) });
  } catch (err) {
    process.send({ ok: false, error: String(err?.stack ?? err) });
  }
});
// The parent went away (killed, crashed): so do these sockets.
process.on("disconnect", () => process.exit(0));
process.send({ ok: true, result: { ready: true, nofile: process.env.NOFILE } });
