// Real sockets end to end: N WebSocket clients (default 10,000) on one root object directly, against
// the same N spread over relays, alternating in the same run (server-side sockets of one side at a
// time: the container's hard file limit is 20,000 per process). Commit-to-last-viewer p50/p99 over
// sequential updates, updates/s over a burst, and every socket's frames checked (lost, duplicated).
import { clients, serve } from "./serve.mjs";

const arg = (args, name, fallback) => {
  const a = args.find((x) => x.startsWith(`${name}=`));
  return a ? JSON.parse(a.slice(name.length + 1)) : fallback;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export default async function sockets(args) {
  const n = arg(args, "sockets", 10_000);
  const relayCount = arg(args, "relays", 4);
  const rounds = arg(args, "rounds", 2);
  const iterations = arg(args, "iterations", 50);
  const burstOf = arg(args, "burst", 100);
  const bytes = arg(args, "bytes", 100);
  const { mf, base } = await serve(8850);
  const c = clients();
  await c.ready;
  const out = { method: "Miniflare/workerd on this machine; clients in a second Node process (ws) over 127.0.0.2-9", sockets: n, relays: relayCount, bytes, rounds: [], nofile: c.limit };
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
    c.kill();
    await mf.dispose();
  }
  const side = (via) => out.rounds.filter((x) => x.via === via);
  const summary = (via) => ({ p50: median(side(via).map((x) => x.p50)), p99: median(side(via).map((x) => x.p99)), updatesPerSec: median(side(via).map((x) => x.updatesPerSec)), lost: side(via).reduce((s, x) => s + x.lost, 0), duplicated: side(via).reduce((s, x) => s + x.duplicated, 0), renders: side(via).reduce((s, x) => s + x.renders, 0) });
  out.direct = summary("direct");
  out.throughRelays = summary("relays");
  out.relaysOverDirect = { p50: Math.round((out.throughRelays.p50 / out.direct.p50) * 100) / 100, p99: Math.round((out.throughRelays.p99 / out.direct.p99) * 100) / 100, updatesPerSec: Math.round((out.throughRelays.updatesPerSec / out.direct.updatesPerSec) * 100) / 100 };
  console.log(JSON.stringify(out, null, 2));
  if (out.direct.lost + out.direct.duplicated + out.throughRelays.lost + out.throughRelays.duplicated > 0) process.exitCode = 1;
  return out;
}
