// Bench entry for the cluster's per-hop and real-socket benchmarks: the real Component, Relay and
// StratusRegistry code, a feed component whose frames carry a chosen number of bytes, and routes
// that put a socket on the root directly or on a named relay (as the Worker's /live route does).
import * as v from "valibot";
import { html } from "../../worker/templating/index";
import { action, Component } from "../../durable-objects/index";
import { RELAY_HEADER, type RelaySetup } from "../../durable-objects/cluster/bindings";
import { CALLER_HEADER } from "../../durable-objects/realtime/caller-header";
import type { SeqFrame } from "../../durable-objects/cluster/sequencer";

export { Relay, RelayHub, StratusRegistry } from "../../durable-objects/index";

type BenchEnv = { FEED: DurableObjectNamespace<BenchFeed>; STRATUS_RELAY: DurableObjectNamespace };
type State = { n: number; pad: string };
type Event = { type: "bumped"; pad: string };

/** One slot changes per action, with about `bytes` bytes in it: the diff's size is chosen by the caller. */
export class BenchFeed extends Component<BenchEnv, State, Event> {
  override options = { flushMs: 0, resumeBuffer: 1024, rateLimit: { frames: 1_000_000, windowMs: 1000 }, heartbeatMs: 600_000 };

  initial(): State {
    return { n: 0, pad: "" };
  }
  apply(s: State, e: Event): State {
    return { n: s.n + 1, pad: e.pad };
  }
  actions = {
    bump: action(v.object({ bytes: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(60_000)) }), (s, { bytes }) => [
      { type: "bumped", pad: `${s.n + 1}:`.padEnd(bytes, "x") } as const,
    ]),
  };
  render(s: State) {
    return html`<p>${s.n}</p><p>${s.pad}</p>`;
  }

  /** Root→relay push cost: `calls` sequential push RPCs of `batch` frames of `bytes` to relay `name` (a chain: a render, then diffs). */
  async pushProbe(name: string, calls: number, batch: number, bytes: number): Promise<{ calls: number; batch: number; bytes: number; msPerCall: number; framesPerSec: number }> {
    const relay = this.env.STRATUS_RELAY.getByName(name) as unknown as { push(frames: SeqFrame[]): Promise<void> };
    const epoch = `probe-${name}`;
    const pad = "x".repeat(bytes);
    await relay.push([{ epoch, seq: 0, rid: "p", text: JSON.stringify({ type: "render", seq: 0, epoch, rid: "p", statics: { a: ["<p>", "</p>"] }, dynamics: { s: "a", d: [""] } }) }]);
    let seq = 0;
    const t0 = Date.now();
    for (let c = 0; c < calls; c++) {
      const frames: SeqFrame[] = [];
      for (let i = 0; i < batch; i++, seq++) frames.push({ epoch, seq: seq + 1, from: seq, rid: "p", text: JSON.stringify({ type: "diff", seq: seq + 1, from: seq, epoch, rid: "p", changes: { d: { 0: pad } } }) });
      await relay.push(frames);
    }
    const ms = Date.now() - t0;
    return { calls, batch, bytes, msPerCall: Math.round((ms / calls) * 1000) / 1000, framesPerSec: Math.round((calls * batch) / (ms / 1000)) };
  }

  /** A no-op RPC to a relay's stats(), for the bare round trip between two objects. */
  async rpcProbe(name: string, calls: number): Promise<{ calls: number; msPerCall: number }> {
    const relay = this.env.STRATUS_RELAY.getByName(name) as unknown as { stats(): Promise<unknown> };
    const t0 = Date.now();
    for (let c = 0; c < calls; c++) await relay.stats();
    return { calls, msPerCall: Math.round(((Date.now() - t0) / calls) * 1000) / 1000 };
  }
}

export default {
  async fetch(request: Request, env: BenchEnv): Promise<Response> {
    const url = new URL(request.url);
    const key = url.searchParams.get("key") ?? "bench";
    const root = env.FEED.getByName(key);
    const caller = { [CALLER_HEADER]: JSON.stringify({ component: "feed", key }) };
    switch (url.pathname) {
      case "/ws": {
        const relay = url.searchParams.get("relay");
        if (!relay) return root.fetch("https://component/", { headers: { upgrade: "websocket", ...caller } });
        const setup: RelaySetup = { relay, component: "feed", key, binding: "FEED", capacity: 32_000, heartbeatMs: 600_000 };
        return env.STRATUS_RELAY.getByName(relay).fetch("https://relay/", { headers: { upgrade: "websocket", ...caller, [RELAY_HEADER]: JSON.stringify(setup) } });
      }
      case "/push":
        return Response.json(await root.pushProbe(url.searchParams.get("relay") ?? "probe", Number(url.searchParams.get("calls")), Number(url.searchParams.get("batch")), Number(url.searchParams.get("bytes"))));
      case "/rpc":
        return Response.json(await root.rpcProbe(url.searchParams.get("relay") ?? "probe", Number(url.searchParams.get("calls"))));
    }
    return new Response("not found", { status: 404 });
  },
};
