/**
 * The simulated world around the relays: configuration, the root (its chain
 * in a real FrameRing), calls to it over a lossy hop, viewers' sockets and the
 * measurements. Relays (relay.ts) run the real Sequencer inside it.
 */
import { FrameRing } from "../../../durable-objects/cluster/frame-ring";
import type { SeqFrame } from "../../../durable-objects/cluster/sequencer";
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
  /** Probability a call to the root fails (after its round trip). */
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

export const EPOCH = "sim";
const RID = "r";
export const diffOf = (seq: number, from: number): SeqFrame => ({ epoch: EPOCH, seq, from, rid: RID, text: `{"type":"diff","seq":${seq}}` });
const renderOf = (seq: number): SeqFrame => ({ epoch: EPOCH, seq, rid: RID, text: `{"type":"render","seq":${seq}}` });

/** A browser: what it shows, and its socket to a relay. */
export interface Viewer {
  /** What the viewer shows (the client's cursor): the `since` of its next hello. */
  shown: number | undefined;
  /** What its relay has sent it on the current connection. */
  sent: number | undefined;
  /** Bumped on each disconnect: frames of an older connection never arrive. */
  conn: number;
  /** Following the relay's live frames (else catching up). */
  ready: boolean;
  fetching: boolean;
  lastArrival: number;
  applied: number;
}

export class World {
  readonly config: SimConfig;
  readonly clock = new Clock();
  readonly random: () => number;
  readonly metrics = { violations: 0, sequencerViolations: 0, fullRenders: 0, applied: 0, rootCalls: 0, relayFetches: 0, atLast: 0 };
  readonly callsPerSecond = new Map<number, number>();
  /** Commit-to-viewer latency histogram, 1 ms buckets (the last one collects the rest). */
  readonly latency = new Uint32Array(60_001);
  readonly #committedAt: number[] = [0];
  readonly #rootRing: FrameRing;
  rootHead = 0;

  constructor(config: SimConfig) {
    this.config = config;
    this.random = rng(config.seed);
    this.#rootRing = new FrameRing(EPOCH, config.rootRing);
    this.#rootRing.rebase(EPOCH, 0, RID);
  }

  between([lo, hi]: readonly [number, number]): number {
    return lo + this.random() * (hi - lo);
  }

  /** The root commits the next seq; returns its frame. */
  commit(): SeqFrame {
    const seq = this.rootHead + 1;
    const f = diffOf(seq, this.rootHead);
    this.#rootRing.push({ from: this.rootHead, seq, rid: RID, text: f.text });
    this.rootHead = seq;
    this.#committedAt[seq] = this.clock.now;
    return f;
  }

  /** A call to the root: one hop there, the answer as of then (its ring, else a render), one hop back; it may fail. */
  callRoot(from: number | undefined): Promise<readonly SeqFrame[]> {
    this.metrics.rootCalls++;
    const second = Math.floor(this.clock.now / 1000);
    this.callsPerSecond.set(second, (this.callsPerSecond.get(second) ?? 0) + 1);
    return new Promise((resolve, reject) => {
      this.clock.after(this.between(this.config.hopMs), () => {
        const fails = this.random() < this.config.fetchFailRate;
        const answer = this.#answer(from);
        this.clock.after(this.between(this.config.hopMs), () => (fails ? reject(new Error("root call failed")) : resolve(answer)), true);
      });
    });
  }

  #answer(from: number | undefined): SeqFrame[] {
    if (from === undefined) return [renderOf(this.rootHead)];
    const a = this.#rootRing.since(from);
    return "full" in a ? [renderOf(this.rootHead)] : a.frames.map((f) => diffOf(f.seq, f.from));
  }

  /** Sends `f` on the viewer's socket: in order, after the viewer hop; checked when it arrives. */
  toViewer(v: Viewer, f: SeqFrame): void {
    v.sent = f.seq;
    const conn = v.conn;
    v.lastArrival = Math.max(v.lastArrival, this.clock.now + this.between(this.config.viewerMs));
    this.clock.at(v.lastArrival, () => {
      if (conn !== v.conn) return; // the socket closed before it arrived
      if (f.from === undefined) {
        if (v.shown !== undefined) this.metrics.fullRenders++;
      } else if (f.from !== v.shown) {
        this.metrics.violations++; // the browser would fail to apply it (and resync)
        return;
      } else {
        v.applied++;
        this.metrics.applied++;
        const ms = Math.round(this.clock.now - this.#committedAt[f.seq]!);
        this.latency[Math.min(ms, this.latency.length - 1)]!++;
      }
      v.shown = f.seq;
      if (f.seq === this.config.frames) this.metrics.atLast++;
    });
  }
}
