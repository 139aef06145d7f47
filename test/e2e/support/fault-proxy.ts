/**
 * A fault-injecting proxy in front of the real server (wrangler dev): pages
 * load through it and their sockets pass through it, so a test can play a
 * network outage, drop sockets, lose an ack, or rewrite the frames the real
 * server sent (to stage what a deploy or a corrupt frame would do). It never
 * answers for the server: every frame it forwards was produced by the server.
 */
import { createServer, request, type IncomingMessage, type Server } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocket, WebSocketServer, type RawData } from "ws";
import type { ClientFrame, ServerFrame } from "../../../durable-objects/realtime/protocol";

/** A frame from the server, rewritten: one frame, several (duplicates), or none (dropped). */
export type Rewrite = (frame: ServerFrame & Record<string, unknown>, key: string) => ServerFrame | ServerFrame[] | null;

export interface FaultProxy {
  url: string;
  /** Frames browsers sent, in order, with the instance key. */
  sent: { key: string; frame: ClientFrame & Record<string, unknown> }[];
  /** Upgrades passed to the server. */
  connections: number;
  /** Sockets open now for a key. */
  open(key: string): number;
  /** Token refresh requests that reached the server. */
  refreshes: number;
  rewrite: Rewrite | undefined;
  dropSockets(): void;
  /** While offline, every request and upgrade fails and open sockets are dropped. */
  setOffline(offline: boolean): void;
  /** The next n messages carrying an ack are lost with their socket (the server applied the action). */
  loseAcks(n: number): void;
  close(): Promise<void>;
}

export async function startFaultProxy(port: number, upstream: string): Promise<FaultProxy> {
  const target = new URL(upstream);
  let offline = false;
  let acksToLose = 0;
  const pairs = new Set<{ key: string; browser: WebSocket; server: WebSocket }>();

  const server: Server = createServer((req, res) => {
    if (offline) return void req.socket.destroy();
    if (req.method === "POST" && /\/token$/.test(req.url ?? "")) proxy.refreshes++;
    const out = request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: { ...req.headers, host: target.host } }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    out.on("error", () => req.socket.destroy());
    req.pipe(out);
  });

  const wss = new WebSocketServer({ noServer: true });
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const key = /^\/live\/[^/]+\/([^/?]+)/.exec(req.url ?? "")?.[1];
    if (offline || key === undefined) return void socket.destroy();
    const up = new WebSocket(`ws://${target.host}${req.url}`, { headers: { origin: req.headers.origin ?? "" } });
    up.once("unexpected-response", () => socket.destroy());
    up.once("error", () => socket.destroy());
    up.once("open", () => {
      wss.handleUpgrade(req, socket, head, (browser) => {
        proxy.connections++;
        const pair = { key: decodeURIComponent(key), browser, server: up };
        pairs.add(pair);
        browser.on("message", (data: RawData) => {
          proxy.sent.push({ key: pair.key, frame: JSON.parse(String(data)) });
          if (up.readyState === WebSocket.OPEN) up.send(String(data));
        });
        up.on("message", (data: RawData) => forward(pair, String(data)));
        const end = (code: number) => {
          pairs.delete(pair);
          // Codes the application chose pass through; the rest become a plain drop.
          const pass = code >= 4000 || code === 1000 || code === 1009 || code === 1011;
          for (const ws of [browser, up]) if (ws.readyState === WebSocket.OPEN) pass ? ws.close(code) : ws.terminate();
        };
        browser.on("close", end);
        up.on("close", end);
      });
    });
  });

  const forward = (pair: { key: string; browser: WebSocket; server: WebSocket }, text: string) => {
    const parsed = JSON.parse(text) as ServerFrame | ServerFrame[];
    const frames = Array.isArray(parsed) ? parsed : [parsed];
    if (acksToLose > 0 && frames.some((f) => f.type === "ack")) {
      acksToLose--;
      pair.browser.terminate();
      pair.server.terminate();
      return;
    }
    const out = proxy.rewrite ? frames.flatMap((f) => proxy.rewrite!(f as ServerFrame & Record<string, unknown>, pair.key) ?? []) : frames;
    if (out.length === 0) return;
    pair.browser.send(JSON.stringify(Array.isArray(parsed) || out.length > 1 ? out : out[0]));
  };

  const proxy: FaultProxy = {
    url: `http://localhost:${port}`,
    sent: [],
    connections: 0,
    refreshes: 0,
    rewrite: undefined,
    open: (key) => [...pairs].filter((p) => p.key === key).length,
    dropSockets: () => {
      for (const p of pairs) {
        p.browser.terminate();
        p.server.terminate();
      }
    },
    setOffline: (v) => {
      offline = v;
      if (v) proxy.dropSockets();
    },
    loseAcks: (n) => (acksToLose = n),
    close: () =>
      new Promise((resolve) => {
        proxy.dropSockets();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  await new Promise<void>((resolve) => server.listen(port, "localhost", resolve));
  return proxy;
}
