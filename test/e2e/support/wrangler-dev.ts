/**
 * Runs the app under `wrangler dev --local` on a given port with its own
 * persistence directory, so a test can stop and restart the server and find
 * its Durable Objects' SQLite state again, as after a real restart.
 */
import { spawn, type ChildProcess } from "node:child_process";

export interface DevServer {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startWranglerDev(opts: { port: number; inspectorPort: number; persistTo: string }): Promise<DevServer> {
  let child: ChildProcess | undefined;
  const url = `http://localhost:${opts.port}`;
  const server: DevServer = {
    url,
    async start() {
      child = spawn(
        "npx",
        ["wrangler", "dev", "--local", "--port", String(opts.port), "--inspector-port", String(opts.inspectorPort), "--persist-to", opts.persistTo,
          "--var", "APP_KEY:e2e-app-key-0123456789abcdef0123456789abcdef", "--var", `APP_URL:${url}`, "--var", `CORS_ORIGINS:${url}`, "--show-interactive-dev-session=false"],
        { stdio: ["ignore", "pipe", "pipe"], detached: true, env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1" } },
      );
      let log = "";
      child.stdout!.on("data", (d) => (log += d));
      child.stderr!.on("data", (d) => (log += d));
      const deadline = Date.now() + 60_000;
      for (;;) {
        if (child.exitCode !== null) throw new Error(`wrangler dev exited: ${log}`);
        try {
          const res = await fetch(`${url}/health`);
          if (res.ok) return;
        } catch {
          // not up yet
        }
        if (Date.now() > deadline) throw new Error(`wrangler dev did not start: ${log}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    },
    async stop() {
      const c = child;
      if (!c || c.exitCode !== null) return;
      const exited = new Promise((r) => c.once("exit", r));
      // The process group: npx, wrangler and workerd.
      process.kill(-c.pid!, "SIGTERM");
      const timer = setTimeout(() => c.exitCode === null && process.kill(-c.pid!, "SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
      // Let workerd release the port.
      for (let i = 0; i < 40; i++) {
        try {
          await fetch(`${url}/health`);
          await new Promise((r) => setTimeout(r, 250));
        } catch {
          return;
        }
      }
    },
  };
  await server.start();
  return server;
}
