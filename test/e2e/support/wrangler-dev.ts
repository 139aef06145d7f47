/**
 * Runs the app under `wrangler dev --local` on a given port with its own
 * persistence directory, so a test can stop and restart the server and find
 * its Durable Objects' SQLite state again, as after a real restart. The
 * process group is recorded (support/processes.ts) so it is killed on every
 * way out of a run, and a start that fails kills what it started.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createConnection } from "node:net";
import { killGroup, killOnExit, track, untrack } from "./processes";

export interface DevServer {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

const APP_KEY = "e2e-app-key-0123456789abcdef0123456789abcdef";

function portTaken(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ port, host: "localhost" });
    s.once("connect", () => (s.destroy(), resolve(true)));
    s.once("error", () => resolve(false));
  });
}

async function waitPortFree(port: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (await portTaken(port)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

export async function startWranglerDev(opts: {
  port: number;
  inspectorPort: number;
  persistTo: string;
  /** Extra `--var NAME:value` bindings, e.g. a short LIVE_TOKEN_TTL or another allowed origin. */
  vars?: Record<string, string>;
  /** The app directory to serve (a scratch copy a test edits); the current checkout by default. */
  cwd?: string;
}): Promise<DevServer> {
  killOnExit();
  let child: ChildProcess | undefined;
  const url = `http://localhost:${opts.port}`;
  // E2E_FORCE_RELAYS=true (the second browser run of `npm run test:e2e`): every live socket through relays.
  const relays = process.env.E2E_FORCE_RELAYS === "true" ? { CLUSTER_FORCE_RELAYS: "true" } : {};
  const vars = { APP_KEY, APP_URL: url, CORS_ORIGINS: url, ...relays, ...opts.vars };
  const kill = async (c: ChildProcess) => {
    if (c.exitCode === null && c.signalCode === null) {
      const exited = new Promise((r) => c.once("exit", r));
      killGroup(c.pid!, "SIGTERM");
      const timer = setTimeout(() => killGroup(c.pid!, "SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    }
    // workerd may outlive its parent for a moment: the group goes too.
    killGroup(c.pid!, "SIGKILL");
    untrack(c.pid!);
    await waitPortFree(opts.port, 10_000);
  };
  const server: DevServer = {
    url,
    async start() {
      if (!(await waitPortFree(opts.port, 5000))) throw new Error(`Port ${opts.port} is taken by another process; the e2e server cannot start.`);
      const c = spawn(
        "npx",
        ["wrangler", "dev", "--local", "--port", String(opts.port), "--inspector-port", String(opts.inspectorPort), "--persist-to", opts.persistTo,
          ...Object.entries(vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]), "--show-interactive-dev-session=false"],
        { cwd: opts.cwd, stdio: ["ignore", "pipe", "pipe"], detached: true, env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1" } },
      );
      child = c;
      track(c.pid!);
      let log = "";
      c.stdout!.on("data", (d) => (log += d));
      c.stderr!.on("data", (d) => (log += d));
      const deadline = Date.now() + 60_000;
      try {
        for (;;) {
          if (c.exitCode !== null) throw new Error(`wrangler dev exited: ${log}`);
          try {
            const res = await fetch(`${url}/health`);
            if (res.ok) return;
          } catch {
            // not up yet
          }
          if (Date.now() > deadline) throw new Error(`wrangler dev did not start: ${log}`);
          await new Promise((r) => setTimeout(r, 250));
        }
      } catch (err) {
        await kill(c);
        throw err;
      }
    },
    async stop() {
      if (child) await kill(child);
    },
  };
  await server.start();
  return server;
}
