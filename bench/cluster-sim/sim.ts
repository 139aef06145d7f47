/**
 * A deterministic simulation of the relay protocol: one root, R relays, V
 * viewers, driving the REAL Sequencer and FrameRing (durable-objects/cluster)
 * through simulated hops with latency, drops, duplicates and reordering,
 * failing fetches and relay restarts (a restarted relay has lost its ring and
 * its sequencer state; its viewers reconnect, maybe elsewhere, with `since`).
 * Everything scales by parameters: the unit test runs a small configuration,
 * `npm run bench -- cluster` a million viewers.
 */
import { FrameRing } from "../../durable-objects/cluster/frame-ring";
import { Sequencer, type Delivery, type SeqFrame } from "../../durable-objects/cluster/sequencer";
import { Clock, rng } from "./clock";

export interface SimConfig {
  seed: number;
  relays: number;
  viewersPerRelay: number;
  /** Commits at the root, one frame each, `intervalMs` apart (100 ms: 10 updates/s). */
  frames: number;
  intervalMs: number;
  /** One-way latency between root and relay, ms (uniform). */
  hopMs: readonly [number, number];
  /** Relay to viewer latency, ms (uniform; a socket keeps its frames in order). */
  viewerMs: readonly [number, number];
  /** Per pushed copy: probability it is lost, or sent twice. */
  dropRate: number;
  dupRate: number;
  /** Probability a fetch from the root fails (after its round trip). */
  fetchFailRate: number;
  /** Relay restarts spread at random over the run; each loses its ring and closes its sockets. */
  relayRestarts: number;
  /** How long a disconnected viewer waits before it reconnects (to a random relay), ms. */
  reconnectMs: readonly [number, number];
  /** How often the root tells relays its head (exposes a lost last frame), ms. */
  heartbeatMs: number;
  relayRing: { maxFrames: number; maxBytes: number };
  rootRing: { maxFrames: number; maxBytes: number };
}

export interface SimResult {
  viewers: number;
  /** Viewers not showing the last seq when the run ended. */
  behind: number;
  /** Diffs a viewer could not apply (from not its shown seq) or saw twice: must be 0. */
  violations: number;
  /** Full renders sent to a viewer that already showed a state (each skips seqs). */
  fullRenders: number;
  /** Diffs applied, over all viewers: frames x viewers when nothing was skipped. */
  applied: number;
  rootCalls: number;
  maxRootCallsPerSecond: number;
  relayFetches: number;
  latencyMs: { p50: number; p99: number; max: number };
  simulatedMs: number;
}

const EPOCH = "sim";
const RID = "r";
const diffOf = (seq: number, from: number): SeqFrame => ({ epoch: EPOCH, seq, from, rid: RID, text: `{"type":"diff","seq":${seq}}` });
const renderOf = (seq: number): SeqFrame => ({ epoch: EPOCH, seq, rid: RID, text: `{"type":"render","seq":${seq}}` });

interface Viewer {
  /** What the viewer shows (the client's cursor): the `since` of its next hello. */
  shown: number | undefined;
  /** What its relay has sent it, on the current connection. */
  sent: number | undefined;
  relay: Relay | undefined;
  /** Bumped on each disconnect: frames of an older connection never arrive. */
  conn: number;
  ready: boolean;
  fetching: boolean;
  lastArrival: number;
  applied: number;
}

interface Relay {
  gen: number;
  ring: FrameRing;
  sequencer: Sequencer;
  viewers: Set<Viewer>;
}

export async function simulate(config: SimConfig): Promise<SimResult> {
  const random = rng(config.seed);
  const between = ([lo, hi]: readonly [number, number]) => lo + random() * (hi - lo);
  const clock = new Clock();
  const result = { violations: 0, fullRenders: 0, applied: 0, rootCalls: 0, relayFetches: 0 };
  const callsPerSecond = new Map<number, number>();
  const latency = new Uint32Array(60_001);
  const committedAt: number[] = [0];
  let atLast = 0;

  // The root: its chain in a real FrameRing; it answers a range from it, or with a render.
  const rootRing = new FrameRing(EPOCH, config.rootRing);
  rootRing.rebase(EPOCH, 0, RID);
  let rootHead = 0;
  const rootAnswer = (from: number | undefined): SeqFrame[] => {
    if (from === undefined) return [renderOf(rootHead)];
    const a = rootRing.since(from);
    return "full" in a ? [renderOf(rootHead)] : a.frames.map((f) => diffOf(f.seq, f.from));
  };
  /** A call to the root: one hop there, the answer as of then, one hop back; it may fail. */
  const callRoot = (from: number | undefined): Promise<readonly SeqFrame[]> => {
    result.rootCalls++;
    const second = Math.floor(clock.now / 1000);
    callsPerSecond.set(second, (callsPerSecond.get(second) ?? 0) + 1);
    return new Promise((resolve, reject) => {
      clock.after(between(config.hopMs), () => {
        const fails = random() < config.fetchFailRate;
        const answer = rootAnswer(from);
        clock.after(between(config.hopMs), () => (fails ? reject(new Error("root call failed")) : resolve(answer)));
      });
    });
  };

  const toViewer = (v: Viewer, f: SeqFrame) => {
    v.sent = f.seq;
    const conn = v.conn;
    v.lastArrival = Math.max(v.lastArrival, clock.now + between(config.viewerMs));
    clock.at(v.lastArrival, () => {
      if (conn !== v.conn) return; // the socket closed before it arrived
      if (f.from === undefined) {
        if (v.shown !== undefined) result.fullRenders++;
      } else if (f.from !== v.shown) {
        result.violations++;
        return;
      } else {
        v.applied++;
        result.applied++;
        const ms = Math.round(clock.now - committedAt[f.seq]!);
        latency[Math.min(ms, latency.length - 1)]!++;
      }
      v.shown = f.seq;
      if (f.seq === config.frames) atLast++;
    });
  };

  /** Brings a (re)connected or lagging viewer to its relay's head: from the ring, else from the root. */
  const catchUp = (r: Relay, v: Viewer) => {
    if (v.fetching || v.relay !== r) return;
    const head = r.ring.head;
    // A relay that has no head yet (just restarted) gets one from its next push; then it catches up.
    if (head === undefined && v.sent !== undefined) return;
    if (head !== undefined && v.sent !== undefined) {
      if (v.sent > head.seq) return; // ahead of this relay (the root answered further): wait for it
      const a = r.ring.since(v.sent);
      if (!("full" in a)) {
        for (const f of a.frames) toViewer(v, diffOf(f.seq, f.from));
        v.ready = true;
        return;
      }
    }
    v.fetching = true;
    const gen = r.gen;
    callRoot(v.sent).then(
      (frames) => {
        v.fetching = false;
        if (gen !== r.gen || v.relay !== r) return;
        for (const f of frames) if (f.from === undefined ? v.sent === undefined || f.seq > v.sent : f.from === v.sent) toViewer(v, f);
        catchUp(r, v);
      },
      () => {
        v.fetching = false;
        if (gen === r.gen && v.relay === r) clock.after(between(config.hopMs), () => catchUp(r, v));
      },
    );
  };

  const onDeliver = (r: Relay, d: Delivery) => {
    if (d.type === "reset") {
      for (const v of r.viewers) (v.sent = undefined), (v.ready = false);
      return;
    }
    const f = d.frame;
    if (f.from === undefined) r.ring.rebase(f.epoch, f.seq, f.rid);
    else r.ring.push({ from: f.from, seq: f.seq, rid: f.rid, text: f.text });
    for (const v of r.viewers) {
      if (v.ready && f.from !== undefined && f.from === v.sent) toViewer(v, f);
      else if (v.sent === undefined || f.seq > v.sent) (v.ready = false), catchUp(r, v);
    }
  };

  const makeRelay = (r: Relay, start: boolean) => {
    r.gen++;
    const gen = r.gen;
    r.ring = new FrameRing(EPOCH, config.relayRing);
    if (start) r.ring.rebase(EPOCH, 0, RID);
    r.sequencer = new Sequencer({
      ...(start ? { start: { epoch: EPOCH, seq: 0 } } : {}),
      fetchRange: (from) => {
        result.relayFetches++;
        return callRoot(from);
      },
      deliver: (d) => gen === r.gen && onDeliver(r, d),
      onError: () => {},
    });
  };
  const relays: Relay[] = [];
  for (let i = 0; i < config.relays; i++) {
    const r = { gen: 0, viewers: new Set<Viewer>() } as unknown as Relay;
    makeRelay(r, true);
    relays.push(r);
  }

  const viewers: Viewer[] = [];
  const attach = (v: Viewer, r: Relay) => {
    v.relay = r;
    v.sent = v.shown;
    v.ready = false;
    r.viewers.add(v);
    catchUp(r, v);
  };
  for (const r of relays) {
    for (let j = 0; j < config.viewersPerRelay; j++) {
      const v: Viewer = { shown: 0, sent: 0, relay: undefined, conn: 0, ready: false, fetching: false, lastArrival: 0, applied: 0 };
      viewers.push(v);
      attach(v, r);
    }
  }

  // The root commits and pushes each frame to every relay: each copy lost, doubled, delayed independently.
  const push = (r: Relay, deliver: (s: Sequencer) => void) => {
    const copies = random() < config.dropRate ? 0 : random() < config.dupRate ? 2 : 1;
    for (let c = 0; c < copies; c++) clock.after(between(config.hopMs), () => deliver(r.sequencer));
  };
  for (let seq = 1; seq <= config.frames; seq++) {
    clock.at(seq * config.intervalMs, () => {
      const f = diffOf(seq, rootHead);
      rootRing.push({ from: rootHead, seq, rid: RID, text: f.text });
      rootHead = seq;
      committedAt[seq] = clock.now;
      for (const r of relays) push(r, (s) => s.accept(f));
    });
  }
  const end = config.frames * config.intervalMs;
  for (let t = config.heartbeatMs; t <= end + 30_000; t += config.heartbeatMs) {
    clock.at(t, () => {
      const head = rootHead;
      for (const r of relays) push(r, (s) => s.announce(EPOCH, head));
    });
  }

  for (let k = 0; k < config.relayRestarts; k++) {
    const r = relays[Math.floor(random() * relays.length)]!;
    clock.at(random() * end, () => {
      makeRelay(r, false);
      for (const v of r.viewers) {
        v.conn++;
        v.relay = undefined;
        v.fetching = false;
        clock.after(between(config.reconnectMs), () => attach(v, relays[Math.floor(random() * relays.length)]!));
      }
      r.viewers.clear();
    });
  }

  const caughtUp = () => atLast === viewers.length;
  await clock.run(end + 30_000, caughtUp);

  return {
    viewers: viewers.length,
    behind: viewers.filter((v) => v.shown !== config.frames).length,
    violations: result.violations,
    fullRenders: result.fullRenders,
    applied: result.applied,
    rootCalls: result.rootCalls,
    maxRootCallsPerSecond: Math.max(0, ...callsPerSecond.values()),
    relayFetches: result.relayFetches,
    latencyMs: percentiles(latency),
    simulatedMs: Math.round(clock.now),
  };
}

function percentiles(histogram: Uint32Array): SimResult["latencyMs"] {
  let total = 0;
  for (const c of histogram) total += c;
  const at = (p: number) => {
    let seen = 0;
    for (let ms = 0; ms < histogram.length; ms++) if ((seen += histogram[ms]!) >= p * total) return ms;
    return histogram.length - 1;
  };
  let max = 0;
  for (let ms = 0; ms < histogram.length; ms++) if (histogram[ms]) max = ms;
  return { p50: at(0.5), p99: at(0.99), max };
}
