/**
 * A stand-in for the component Durable Object, for testing the browser
 * runtime on its own: it speaks the live protocol (hello/since, render, diff,
 * ack, idempotent action ids) over real WebSockets using the real templating
 * code, and lets a test drop every socket or refuse connections to play a
 * server restart or a network outage.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import { readFileSync } from "node:fs";
import { WebSocketServer, type WebSocket } from "ws";
import { diffTree } from "../../../worker/templating/diff";
import { renderTree, toHtml, type Rendered } from "../../../worker/templating/rendered";
import { mountElement } from "../../../worker/templating/component-service";
import { PROTOCOL_VERSION, type ClientFrame, type ServerFrame } from "../../../durable-objects/realtime/protocol";
import { demoView, type DemoState } from "../../../components/demo/views";

interface Instance {
  state: DemoState;
  seq: number;
  rendered: Rendered;
  /** diff frames by the seq they produce, for resuming. */
  history: Map<number, ServerFrame>;
  applied: Map<string, number>;
  sockets: Set<WebSocket>;
}

export interface FakeServer {
  url: string;
  hellos: { key: string; since?: number }[];
  actions: { key: string; id: string; name: string }[];
  connections: number;
  instance(key: string): Instance;
  update(key: string, fn: (s: DemoState) => DemoState): void;
  dropSockets(): void;
  /** While offline, upgrades are refused and open sockets dropped. */
  setOffline(offline: boolean): void;
  /** Apply actions but lose the next N acks (socket dropped before the ack). */
  loseAcks(n: number): void;
  close(): Promise<void>;
}

export async function startFakeServer(port: number): Promise<FakeServer> {
  const clientJs = () => readFileSync("public/stratus/client.js");
  const instances = new Map<string, Instance>();
  let offline = false;
  let acksToLose = 0;

  const instance = (key: string): Instance => {
    let inst = instances.get(key);
    if (!inst) {
      const state: DemoState = { count: 0, items: [{ id: 1, text: "first" }], draft: "" };
      inst = { state, seq: 0, rendered: renderTree(demoView(state)), history: new Map(), applied: new Map(), sockets: new Set() };
      instances.set(key, inst);
    }
    return inst;
  };

  const commit = (inst: Instance, next: DemoState) => {
    inst.state = next;
    const rendered = renderTree(demoView(next));
    const diff = diffTree(inst.rendered.root, rendered.root, inst.rendered.statics, rendered.statics);
    inst.seq++;
    const frame: ServerFrame = { type: "diff", seq: inst.seq, from: inst.seq - 1, changes: diff?.changes ?? { d: {} }, statics: diff?.statics ?? {} };
    inst.rendered = { root: rendered.root, statics: { ...inst.rendered.statics, ...rendered.statics } };
    inst.history.set(inst.seq, frame);
    for (const ws of inst.sockets) ws.send(JSON.stringify(frame));
  };

  const reduce = (s: DemoState, name: string, args: Record<string, unknown>): DemoState => {
    if (name === "increment") return { ...s, count: s.count + Number(args.by ?? 1) };
    if (name === "add") return { ...s, items: [...s.items, { id: Date.now() + Math.random(), text: String(args.text) }], draft: "" };
    throw new Error(`unknown action ${name}`);
  };

  const page = (key: string, mounts: number, ttl: number | undefined) => {
    const inst = instance(key);
    const inner = toHtml(inst.rendered.root, inst.rendered.statics);
    // With a ttl, a token shaped like the real one (claims "." signature) that expires; the fake never checks it.
    const token = ttl === undefined ? "t" : `${Buffer.from(JSON.stringify({ c: "demo", k: key, exp: Math.floor(Date.now() / 1000) + ttl })).toString("base64url")}.sig`;
    let body = "";
    for (let i = 0; i < mounts; i++) body += mountElement({ name: "demo", key, token, seq: inst.seq, inner, props: { attrs: { id: `mount-${i}` } } }).value;
    return `<!doctype html><html><head><title>fake</title><script>window.__xss = 0;</script></head><body>${body}<script src="/stratus/client.js" defer></script></body></html>`;
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url!, "http://x");
    if (url.pathname === "/stratus/client.js") {
      res.writeHead(200, { "content-type": "text/javascript" }).end(clientJs());
      return;
    }
    const m = /^\/page\/([\w-]+)$/.exec(url.pathname);
    if (m) {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(page(m[1]!, Number(url.searchParams.get("mounts") ?? 1), url.searchParams.has("ttl") ? Number(url.searchParams.get("ttl")) : undefined));
      return;
    }
    res.writeHead(404).end();
  });

  const fake: FakeServer = {
    url: `http://127.0.0.1:${port}`,
    hellos: [],
    actions: [],
    connections: 0,
    instance,
    update: (key, fn) => commit(instance(key), fn(instance(key).state)),
    dropSockets: () => {
      for (const inst of instances.values()) for (const ws of inst.sockets) ws.terminate();
    },
    setOffline: (v) => {
      offline = v;
      if (v) fake.dropSockets();
    },
    loseAcks: (n) => (acksToLose = n),
    close: () =>
      new Promise((resolve) => {
        fake.dropSockets();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };

  const wss = new WebSocketServer({ noServer: true });
  server.on("upgrade", (req: IncomingMessage, socket, head) => {
    const m = /^\/live\/demo\/([\w-]+)/.exec(req.url ?? "");
    if (offline || !m) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const key = m[1]!;
      const inst = instance(key);
      fake.connections++;
      ws.on("message", (data) => {
        const f = JSON.parse(String(data)) as ClientFrame;
        if (f.type === "ping") return ws.send('{"type":"pong"}');
        if (f.type === "hello") {
          if (f.v !== PROTOCOL_VERSION) return ws.close(4000);
          fake.hellos.push({ key, since: f.since });
          inst.sockets.add(ws);
          const since = f.since;
          if (since !== undefined && since <= inst.seq && (since === inst.seq || inst.history.has(since + 1))) {
            for (let s = since + 1; s <= inst.seq; s++) ws.send(JSON.stringify(inst.history.get(s)));
          } else {
            ws.send(JSON.stringify({ type: "render", seq: inst.seq, statics: inst.rendered.statics, dynamics: inst.rendered.root } satisfies ServerFrame));
          }
          return;
        }
        if (f.type === "action") {
          fake.actions.push({ key, id: f.id, name: f.name });
          let seq = inst.applied.get(f.id);
          if (seq === undefined) {
            commit(inst, reduce(inst.state, f.name, (f.args ?? {}) as Record<string, unknown>));
            seq = inst.seq;
            inst.applied.set(f.id, seq);
          }
          if (acksToLose > 0) {
            acksToLose--;
            ws.terminate();
            return;
          }
          ws.send(JSON.stringify({ type: "ack", id: f.id, seq } satisfies ServerFrame));
        }
      });
      ws.on("close", () => inst.sockets.delete(ws));
    });
  });

  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return fake;
}
