// Per hop, measured in workerd (Miniflare): the root→relay push RPC (batches of 1, 10 and 100 frames,
// 100 B and 4 KB, against a bare RPC round trip between the same two objects), a relay's send cost per
// socket at 1k, 5k and 10k sockets with 100 B and 4 KB frames against the root's own fan-out to as many
// sockets (alternating, same run), and resume: a viewer `back` seqs behind, from the relay's ring and
// from the root's resume buffer.
import { clients, serve } from "./serve.mjs";

const SIZES = [100, 4096];
const arg = (args, name, fallback) => {
  const a = args.find((x) => x.startsWith(`${name}=`));
  return a ? JSON.parse(a.slice(name.length + 1)) : fallback;
};

export default async function hops(args) {
  const iterations = arg(args, "iterations", 30);
  const STEPS = arg(args, "steps", [1000, 5000, 10_000]);
  const { mf, base } = await serve(8840);
  const out = { method: "Miniflare/workerd on this machine; client sockets in a second Node process (ws); times on the client's clock", iterations };
  try {
    const get = async (path) => (await fetch(`${base}${path}`)).json();
    out.push = { rpcRoundTrip: await get(`/rpc?key=push&relay=probe-rpc&calls=300`), batches: [] };
    for (const bytes of SIZES) for (const batch of [1, 10, 100]) out.push.batches.push(await get(`/push?key=push&relay=probe-${bytes}-${batch}&calls=${batch === 100 ? 50 : 200}&batch=${batch}&bytes=${bytes}`));
    console.error("push", JSON.stringify(out.push));

    const c = clients();
    await c.ready;
    out.nofile = c.limit;
    out.fanout = [];
    out.resume = [];
    try {
      // Direct on the root, then the same counts on one relay: each side grows 1k → 5k → 10k.
      for (const via of ["root", "relay"]) {
        const key = `fan-${via}`;
        const relays = via === "relay" ? ["fan-relay-0"] : [];
        let have = 0;
        for (const n of STEPS) {
          await c.call({ cmd: "connect", base, key, count: n - have, relays });
          have = n;
          for (const bytes of SIZES) {
            const r = await c.call({ cmd: "latency", iterations, bytes });
            out.fanout.push({ via, ...r });
            console.error("fanout", via, JSON.stringify(r));
          }
        }
        const r = await c.call({ cmd: "resume", base, key, relay: relays[0], back: 100 });
        out.resume.push({ sockets: have, ...r });
        console.error("resume", JSON.stringify(r));
        out[`checks_${via}`] = await c.call({ cmd: "close" });
      }
    } finally {
      c.kill();
    }
    const at = (via, n, bytes) => out.fanout.find((f) => f.via === via && f.sockets === n && f.bytes === bytes);
    out.relayOverRoot = STEPS.flatMap((n) => SIZES.map((bytes) => ({ sockets: n, bytes, ratioP50: Math.round((at("relay", n, bytes).p50 / at("root", n, bytes).p50) * 100) / 100 })));
  } finally {
    await mf.dispose();
  }
  console.log(JSON.stringify(out, null, 2));
  return out;
}
