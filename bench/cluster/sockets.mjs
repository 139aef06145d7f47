// Real sockets end to end: N WebSocket clients (default 10,000) on one root object directly, against
// the same N spread over relays, alternating in the same run (server-side sockets of one side at a
// time). workerd holds two descriptors per accepted connection (it dups each accepted socket), so
// one workerd process fits (hard file limit - reserve) / 2 sockets: under the container's hard limit
// of 20,000 that is just under 10,000, and the run says so instead of failing at the limit.
// Commit-to-last-viewer p50/p99 over sequential updates, updates/s over a burst, connect time, and
// every socket's frames checked (lost, duplicated).
import { clients, serve } from "./serve.mjs";

const arg = (args, name, fallback) => {
  const a = args.find((x) => x.startsWith(`${name}=`));
  return a ? JSON.parse(a.slice(name.length + 1)) : fallback;
};
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m] : Math.round(((s[m - 1] + s[m]) / 2) * 100) / 100;
};

/** Descriptors workerd needs besides its sockets: SQLite files of the root, relays and registry, listeners, the cache. */
const WORKERD_RESERVE = 120;

export default async function sockets(args) {
  const asked = arg(args, "sockets", 10_000);
  const relayCount = arg(args, "relays", 4);
  const rounds = arg(args, "rounds", 2);
  const iterations = arg(args, "iterations", 50);
  const burstOf = arg(args, "burst", 100);
  const bytes = arg(args, "bytes", 100);
  const { mf, base } = await serve(8850);
  const c = clients();
  // An interrupted run leaves neither workerd nor the client process behind.
  const stop = () => {
    c.kill();
    void mf.dispose().finally(() => process.exit(130));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  await c.ready;
  const fits = Math.floor((c.limit - WORKERD_RESERVE) / 2);
  const n = Math.min(asked, fits);
  if (n < asked) console.error(`sockets: ${asked} asked, ${n} fit: workerd takes two descriptors per socket under a hard file limit of ${c.limit}`);
  const out = { method: "Miniflare/workerd on this machine; clients in a second Node process (ws) over 127.0.0.2-9", sockets: n, asked, relays: relayCount, bytes, rounds: [], nofile: c.limit, workerdFdsPerSocket: 2 };
  try {
    for (let r = 0; r < rounds; r++) {
      for (const via of r % 2 === 0 ? ["direct", "relays"] : ["relays", "direct"]) {
        const key = `e2e-${via}-${r}`;
        const relays = via === "relays" ? Array.from({ length: relayCount }, (_, i) => `${key}-relay-${i}`) : [];
        const connected = await c.call({ cmd: "connect", base, key, count: n, relays });
        const latency = await c.call({ cmd: "latency", iterations, bytes });
        const burst = await c.call({ cmd: "burst", count: burstOf, bytes });
        const checks = await c.call({ cmd: "close" });
        const row = { round: r, via, connectMs: connected.connectMs, ...latency, updatesPerSec: burst.updatesPerSec, burstMs: burst.ms, ...checks };
        out.rounds.push(row);
        console.error("sockets", JSON.stringify(row));
      }
    }
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
    c.kill();
    await mf.dispose();
  }
  const side = (via) => out.rounds.filter((x) => x.via === via);
  const summary = (via) => ({ p50: median(side(via).map((x) => x.p50)), p99: median(side(via).map((x) => x.p99)), updatesPerSec: median(side(via).map((x) => x.updatesPerSec)), connectMs: median(side(via).map((x) => x.connectMs)), lost: side(via).reduce((s, x) => s + x.lost, 0), duplicated: side(via).reduce((s, x) => s + x.duplicated, 0), renders: side(via).reduce((s, x) => s + x.renders, 0) });
  out.direct = summary("direct");
  out.throughRelays = summary("relays");
  out.relaysOverDirect = { p50: Math.round((out.throughRelays.p50 / out.direct.p50) * 100) / 100, p99: Math.round((out.throughRelays.p99 / out.direct.p99) * 100) / 100, updatesPerSec: Math.round((out.throughRelays.updatesPerSec / out.direct.updatesPerSec) * 100) / 100 };
  console.log(JSON.stringify(out, null, 2));
  if (out.direct.lost + out.direct.duplicated + out.throughRelays.lost + out.throughRelays.duplicated > 0) process.exitCode = 1;
  return out;
}
