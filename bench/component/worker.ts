// Bench entry: the real Component code, plus RPC probes and a hand-written send loop.
import * as v from "valibot";
import { Counter } from "../../components/counter/counter";
import { action } from "../../durable-objects/action";
import { Component, type ActionContext, type Viewer } from "../../durable-objects/component";
import { html } from "../../worker/templating/html";
import { CALLER_HEADER } from "../../durable-objects/realtime/caller-header";
import { StateManager } from "../../durable-objects/state/state-manager";

type BenchEnv = {
  BENCH: DurableObjectNamespace<BenchCounter>;
  BENCH_DEFAULT: DurableObjectNamespace<BenchCounterDefault>;
  BENCH_VIEWER: DurableObjectNamespace<BenchViewer>;
  BENCH_VIEWER_MIXED: DurableObjectNamespace<BenchViewerMixed>;
};

type Named = { name: string };

/** Hand-written baseline for fan-out: `raw:<text>` sends the text to every socket in a plain loop. */
function rawFanout(ctx: DurableObjectState, message: string | ArrayBuffer): boolean {
  if (typeof message !== "string" || !message.startsWith("raw:")) return false;
  const text = message.slice(4);
  for (const s of ctx.getWebSockets()) s.send(text);
  return true;
}
type CountEvent = { type: "incremented"; by: number };
const benchOptions = { flushMs: 0, snapshotEvery: 1000, rateLimit: { frames: 1_000_000, windowMs: 1000 }, heartbeatMs: 600_000 };

/**
 * The counter with a small viewer-dependent part: each socket names itself (viewer state), and
 * the view shows that name beside the shared count. The name does not change with the count, so
 * a commit re-renders and compares each socket's slot but sends every socket the shared frame.
 */
export class BenchViewer extends Component<BenchEnv, { count: number }, CountEvent, Named> {
  override options = benchOptions;
  initial() {
    return { count: 0 };
  }
  override initialViewer(): Named {
    return { name: "" };
  }
  apply(s: { count: number }, e: CountEvent) {
    return { count: s.count + e.by };
  }
  actions = {
    increment: action(v.object({ by: v.number() }), (_s, { by }) => [{ type: "incremented", by } as const]),
    name: action(v.object({ name: v.string() }), (_s, { name }, _c, ctx: ActionContext<Named>): CountEvent[] => {
      ctx.setViewer({ name });
      return [];
    }),
  };
  render(s: { count: number }, viewer: Viewer<Named>) {
    return html`<button data-action="increment" data-by="1">${s.count}</button><span class="me">${viewer.slot((n) => n.name)}</span>`;
  }
  /** The hand-written loop the fan-out bench alternates with (see BenchCounter). */
  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    if (!rawFanout(this.ctx, message)) return super.webSocketMessage(ws, message);
  }
}

/** The viewer part depends on the count too (`name: count`): every socket gets a frame of its own on every commit. */
export class BenchViewerMixed extends BenchViewer {
  override render(s: { count: number }, viewer: Viewer<Named>) {
    return html`<button data-action="increment" data-by="1">${s.count}</button><span class="me">${viewer.slot((n) => `${n.name}: ${s.count}`)}</span>`;
  }
}

export class BenchCounter extends Counter {
  override options = { flushMs: 0, snapshotEvery: 1000, rateLimit: { frames: 1_000_000, windowMs: 1000 }, heartbeatMs: 600_000 };

  noop(): number {
    return 0;
  }

  /** Appends n increment events through the normal commit path. */
  async seed(n: number): Promise<number> {
    let last = 0;
    for (let i = 0; i < n; i++) {
      const r = await this.dispatch("increment", { by: 1 });
      if (r.ok) last = r.seq;
    }
    return last;
  }

  /** A fresh recovery over this object's storage, as on wake: snapshot + tail, or the whole log. */
  recoverFresh(mode: "snapshot" | "full"): { seq: number; count: number } {
    const m = new StateManager(this.ctx.storage, { initial: () => this.initial(), apply: (s, e) => this.apply(s, e) }, [], { snapshotEvery: 1000, idempotencyTtlMs: 1e9 });
    const v = mode === "snapshot" ? m.recovery.recover() : m.recovery.replayAll();
    return { seq: v.seq, count: v.state.count };
  }

  /** Hand-written baseline: the same bytes to the same sockets, in a plain loop. */
  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    if (typeof message === "string" && message.startsWith("append:")) {
      // Hand-written baseline for actions: one INSERT and an ack per frame, nothing else.
      this.ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS bench_raw (id INTEGER PRIMARY KEY, data TEXT)");
      this.ctx.storage.sql.exec("INSERT INTO bench_raw (data) VALUES (?)", message);
      ws.send('{"type":"ack","id":"raw","seq":0}');
      return;
    }
    if (!rawFanout(this.ctx, message)) return super.webSocketMessage(ws, message);
  }
}

/** Same, with the default 16 ms flush window. */
export class BenchCounterDefault extends BenchCounter {
  override options = { snapshotEvery: 1000, rateLimit: { frames: 1_000_000, windowMs: 1000 }, heartbeatMs: 600_000 };
}

export default {
  async fetch(request: Request, env: BenchEnv): Promise<Response> {
    const url = new URL(request.url);
    const which = url.searchParams.get("ns");
    const ns = which === "default" ? env.BENCH_DEFAULT : env.BENCH;
    const key = url.searchParams.get("key") ?? "bench";
    const stub = ns.getByName(key) as DurableObjectStub<BenchCounter>;
    switch (url.pathname) {
      case "/ws":
        if (which === "viewer" || which === "viewer-mixed") {
          const viewerNs = which === "viewer" ? env.BENCH_VIEWER : env.BENCH_VIEWER_MIXED;
          return viewerNs.getByName(key).fetch(new Request("https://component/", { headers: { upgrade: "websocket", [CALLER_HEADER]: JSON.stringify({ component: "viewer", key }) } }));
        }
        return stub.fetch(new Request("https://component/", { headers: { upgrade: "websocket", [CALLER_HEADER]: JSON.stringify({ component: "counter", key }) } }));
      case "/noop":
        return Response.json(await stub.noop());
      case "/seed":
        return Response.json(await stub.seed(Number(url.searchParams.get("n"))));
      case "/recover":
        return Response.json(await stub.recoverFresh(url.searchParams.get("mode") === "full" ? "full" : "snapshot"));
      case "/stats":
        return Response.json(await stub.stats());
      case "/dispatch": {
        const n = Number(url.searchParams.get("n"));
        const t0 = Date.now();
        for (let i = 0; i < n; i++) await stub.dispatch("increment", { by: 1 });
        return Response.json({ n, ms: Date.now() - t0 });
      }
    }
    return new Response("not found", { status: 404 });
  },
};
