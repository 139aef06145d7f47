// Per-hop probes for `npm run bench -- cluster hop`: the root -> relay push by batched RPC (as
// RelayLinks does it: one call in flight, frames made meanwhile ride in the next) against a
// WebSocket the relay holds to its parent, and a relay's send loop over N accepted sockets.
import { DurableObject } from "cloudflare:workers";

type HopEnv = { PARENT: DurableObjectNamespace<HopParent>; CHILD: DurableObjectNamespace<HopChild> };

const frame = (i: number, bytes: number) => JSON.stringify({ type: "diff", seq: i + 1, from: i, epoch: "e", rid: "r", changes: { d: { 0: "x".repeat(Math.max(0, bytes - 80)) } } });

export class HopParent extends DurableObject<HopEnv> {
  #done: (() => void) | undefined;

  /** n frames, pushed as they are made; each call carries what queued while the previous was out. */
  async pushRpc(n: number, bytes: number, childName: string): Promise<{ ms: number; calls: number }> {
    const child = this.env.CHILD.getByName(childName);
    await child.reset();
    const t0 = performance.now();
    let queued: string[] = [];
    let busy: Promise<unknown> | undefined;
    let calls = 0;
    const send = (): Promise<unknown> => {
      const batch = queued;
      queued = [];
      calls++;
      return child.push(batch).then(() => (busy = queued.length > 0 ? send() : undefined));
    };
    for (let i = 0; i < n; i++) {
      queued.push(frame(i, bytes));
      busy ??= send();
      // Frames are made by commits, a turn apart: let the pushes run meanwhile.
      if (i % 16 === 15) await new Promise((r) => setTimeout(r, 0));
    }
    while (busy) await busy;
    const got = await child.count();
    if (got !== n) throw new Error(`rpc: child got ${got} of ${n}`);
    return { ms: performance.now() - t0, calls };
  }

  /** The same frames over the socket the child opened to this object (sent one message per frame). */
  async pushWs(n: number, bytes: number, childName: string): Promise<{ ms: number }> {
    const child = this.env.CHILD.getByName(childName);
    await child.reset();
    await child.openTo(this.ctx.id.toString());
    const [ws] = this.ctx.getWebSockets();
    if (!ws) throw new Error("no socket from the child");
    const t0 = performance.now();
    const done = new Promise<void>((r) => (this.#done = r));
    for (let i = 0; i < n; i++) {
      ws.send(frame(i, bytes));
      if (i % 16 === 15) await new Promise((r) => setTimeout(r, 0));
    }
    ws.send("end");
    await done;
    return { ms: performance.now() - t0 };
  }

  override async fetch(): Promise<Response> {
    const pair = new WebSocketPair();
    this.ctx.acceptWebSocket(pair[1]);
    return new Response(null, { status: 101, webSocket: pair[0] });
  }

  override webSocketMessage(_ws: WebSocket, message: string | ArrayBuffer): void {
    if (message === "done") this.#done?.();
  }
}

export class HopChild extends DurableObject<HopEnv> {
  #count = 0;
  #socket: WebSocket | undefined;
  #clients: WebSocket[] = [];

  reset(): void {
    this.#count = 0;
  }
  push(frames: string[]): number {
    for (const f of frames) JSON.parse(f);
    this.#count += frames.length;
    return this.#count;
  }
  count(): number {
    return this.#count;
  }

  async openTo(parentId: string): Promise<void> {
    const res = await this.env.PARENT.get(this.env.PARENT.idFromString(parentId)).fetch("https://parent/", { headers: { upgrade: "websocket" } });
    const ws = res.webSocket!;
    ws.accept();
    ws.addEventListener("message", (e) => {
      if (e.data === "end") return ws.send("done");
      JSON.parse(e.data as string);
      this.#count++;
    });
    this.#socket = ws;
  }

  /** A relay's fan-out: one text to `sockets` hibernatable sockets (their client ends held here, open). */
  async fanout(sockets: number, bytes: number, rounds: number): Promise<{ sendUsPerSocket: number; sendMsPerFrame: number; withReceiveMsPerFrame: number }> {
    while (this.#clients.length < sockets) {
      const pair = new WebSocketPair();
      this.ctx.acceptWebSocket(pair[1]);
      pair[0].accept();
      this.#clients.push(pair[0]);
    }
    const servers = this.ctx.getWebSockets().slice(0, sockets);
    const text = frame(0, bytes);
    // The send loop alone (what a relay's CPU pays per frame), and the whole round with the
    // client ends' receiving, which here runs in the same isolate (a browser's cost, not a relay's).
    let sendMs = 0;
    const t0 = performance.now();
    for (let r = 0; r < rounds; r++) {
      const s0 = performance.now();
      for (const ws of servers) ws.send(text);
      sendMs += performance.now() - s0;
      await new Promise((res) => setTimeout(res, 0));
    }
    const ms = performance.now() - t0;
    return { sendUsPerSocket: (sendMs * 1000) / (rounds * sockets), sendMsPerFrame: sendMs / rounds, withReceiveMsPerFrame: ms / rounds };
  }

  override webSocketMessage(): void {}
}

export default {
  async fetch(request: Request, env: HopEnv): Promise<Response> {
    const url = new URL(request.url);
    const n = Number(url.searchParams.get("n") ?? 1000);
    const bytes = Number(url.searchParams.get("bytes") ?? 100);
    const name = url.searchParams.get("name") ?? "c";
    const parent = env.PARENT.getByName(`p-${name}`);
    if (url.pathname === "/rpc") return Response.json(await parent.pushRpc(n, bytes, name));
    if (url.pathname === "/ws") return Response.json(await parent.pushWs(n, bytes, name));
    if (url.pathname === "/fanout") return Response.json(await env.CHILD.getByName(`f-${name}`).fanout(Number(url.searchParams.get("sockets")), bytes, Number(url.searchParams.get("rounds") ?? 5)));
    return new Response("not found", { status: 404 });
  },
};
