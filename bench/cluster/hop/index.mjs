// `npm run bench -- cluster hop`: the cost of one hop of the tree, in workerd (Miniflare), in one
// run: root -> relay push by batched RPC against a relay-held WebSocket (the same frames, the same
// pacing), and a relay's send loop over 1k, 5k and 10k sockets with 100 B and 4 KB frames.
import { build } from "esbuild";
import { createRequire } from "node:module";
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const { Miniflare, convertV4MiniflareOptions } = await import(createRequire(createRequire(import.meta.url).resolve("wrangler/package.json")).resolve("miniflare"));
const round = (x, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function hop() {
  const out = `${root}dist/bench-cluster-hop.js`;
  mkdirSync(`${root}dist`, { recursive: true });
  await build({ entryPoints: [`${root}bench/cluster/hop/worker.ts`], bundle: true, format: "esm", platform: "neutral", target: "es2023", outfile: out, external: ["cloudflare:workers"], logLevel: "warning" });
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      workers: [
        {
          name: "hop",
          modules: true,
          scriptPath: out,
          compatibilityDate: "2026-11-01",
          durableObjects: { PARENT: { className: "HopParent", useSQLite: true }, CHILD: { className: "HopChild", useSQLite: true } },
        },
      ],
    }),
  );
  const get = async (path) => {
    const res = await mf.dispatchFetch(`http://hop${path}`);
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  const result = { method: "bench/cluster/hop/worker.ts in Miniflare/workerd, both objects in one process (2 shared cores): relative costs, not production latencies" };
  try {
    const N = 5000;
    const push = {};
    for (const bytes of [100, 4096]) {
      const rpc = [];
      const ws = [];
      // Alternated, side by side, after a warm-up of each.
      await get(`/rpc?n=500&bytes=${bytes}&name=w${bytes}`);
      await get(`/ws?n=500&bytes=${bytes}&name=w${bytes}`);
      let calls = 0;
      for (let i = 0; i < 5; i++) {
        const r = await get(`/rpc?n=${N}&bytes=${bytes}&name=r${bytes}-${i}`);
        rpc.push(r.ms);
        calls = r.calls;
        ws.push((await get(`/ws?n=${N}&bytes=${bytes}&name=s${bytes}-${i}`)).ms);
      }
      push[`${bytes}B`] = { frames: N, rpcCalls: calls, rpcUsPerFrame: round((median(rpc) * 1000) / N), wsUsPerFrame: round((median(ws) * 1000) / N), wsOverRpc: round(median(ws) / median(rpc)) };
      console.log(`push ${bytes} B:`, push[`${bytes}B`]);
    }
    result.push = push;
    const fanout = {};
    for (const sockets of [1000, 5000, 10_000]) {
      for (const bytes of [100, 4096]) {
        const r = await get(`/fanout?sockets=${sockets}&bytes=${bytes}&rounds=5&name=${sockets}-${bytes}`);
        fanout[`${sockets}x${bytes}B`] = { sendUsPerSocket: round(r.sendUsPerSocket), sendMsPerFrame: round(r.sendMsPerFrame), withReceiveMsPerFrame: round(r.withReceiveMsPerFrame) };
        console.log(`fan-out ${sockets} sockets, ${bytes} B:`, fanout[`${sockets}x${bytes}B`]);
      }
    }
    result.fanout = fanout;
  } finally {
    await mf.dispose();
  }
  mkdirSync(`${root}bench-results`, { recursive: true });
  writeFileSync(`${root}bench-results/cluster-hop.json`, `${JSON.stringify(result, null, 2)}\n`);
  return result;
}
