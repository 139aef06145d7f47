// Shared by the per-hop and socket benchmarks: bundles bench/cluster/worker.ts (the real Component,
// Relay and StratusRegistry) and serves it with Miniflare (workerd), and forks the client process
// with the file limit raised as far as the hard limit allows.
import { execFileSync, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { bundleWorker } from "../lib/bundle-worker.mjs";

const { Miniflare, Log, LogLevel, convertV4MiniflareOptions } = await import(createRequire(createRequire(import.meta.url).resolve("wrangler/package.json")).resolve("miniflare"));

export async function serve(port = 8840) {
  const script = await bundleWorker("bench/cluster/worker.ts", "bench-cluster");
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      host: "127.0.0.1",
      port,
      inspectorPort: port + 500,
      // workerd's own errors (an isolate reset, a refused socket) show in the bench's output.
      log: new Log(LogLevel.WARN),
      workers: [
        {
          name: "bench-cluster",
          modules: true,
          scriptPath: script,
          compatibilityDate: "2026-11-01",
          compatibilityFlags: ["nodejs_compat"],
          durableObjects: {
            FEED: { className: "BenchFeed", useSQLite: true },
            STRATUS_RELAY: { className: "Relay", useSQLite: true },
            STRATUS_REGISTRY: { className: "StratusRegistry", useSQLite: true },
            STRATUS_HUB: { className: "RelayHub", useSQLite: true },
          },
        },
      ],
    }),
  );
  const base = (await mf.ready).toString().replace(/\/$/, "");
  return { mf, base };
}

/** The hard file limit: a process may raise its soft limit to it (raising the hard one needs CAP_SYS_RESOURCE). */
export function hardNofile() {
  return Number(execFileSync("sh", ["-c", "ulimit -Hn"]).toString().trim());
}

/**
 * The client process, started through `sh -c 'ulimit -n <hard>; exec node …'` (Node has no setrlimit),
 * with an IPC channel; `call(cmd)` sends one command and resolves with its answer.
 */
export function clients() {
  const limit = hardNofile();
  const script = fileURLToPath(new URL("./clients.mjs", import.meta.url));
  const child = spawn("sh", ["-c", `ulimit -n ${limit} && exec "${process.execPath}" "${script}"`], { stdio: ["inherit", "inherit", "inherit", "ipc"], env: { ...process.env, NOFILE: String(limit) } });
  const waiting = [];
  child.on("message", (m) => waiting.shift()?.(m));
  const answer = () => new Promise((resolve) => waiting.push(resolve));
  const first = answer();
  return {
    limit,
    ready: first,
    async call(cmd) {
      const a = answer();
      child.send(cmd);
      const m = await a;
      if (!m.ok) throw new Error(`clients: ${m.error}`);
      return m.result;
    },
    kill: () => child.kill(),
  };
}
