/**
 * The simulated world around the relays: configuration, the root (its resume
 * buffer in a real FrameRing, its pushes through the real RelayLinks), lossy
 * hops between objects, the viewers' sockets and the measurements.
 */
import { FrameRing } from "../../../durable-objects/cluster/frame-ring";
import type { RelayClock } from "../../../durable-objects/cluster/parent-backoff";
import type { FetchKind } from "../../../durable-objects/cluster/relay-core";
import { RelayLinks, seqFrameOf, type RelayTarget } from "../../../durable-objects/cluster/relay-links";
import type { SeqFrame } from "../../../durable-objects/cluster/sequencer";
import { Clock, rng } from "./clock";
import { MemoryRelayTable } from "./memory-sql";
import { Viewers, type WireFrame } from "./viewers";

export interface SimConfig {
  seed: number;
  relays: number;
  viewersPerRelay: number;
  /** Commits at the root, one frame each, `intervalMs` apart (100 ms: 10 updates/s). */
  frames: number;
  intervalMs: number;
  /** Bytes of payload in each diff (the frame's text is about this plus 80). */
  frameBytes: number;
  /** One-way latency between objects, ms (uniform per call). */
  hopMs: readonly [number, number];
  /** Relay to viewer latency, ms (uniform, drawn once per connection: a socket keeps its frames in order). */
  viewerMs: readonly [number, number];
  /** Per push from the root: probability it is lost (the call fails), or delivered twice (the copy late). */
  dropRate: number;
  dupRate: number;
  /** Probability a call to the root fails (after its round trip). */
  fetchFailRate: number;
  /** Relays evicted from memory at random times (hibernation: sockets stay, ring and sequencer are lost). */
  relayEvictions: number;
  /** Relays that crash at random times: sockets close, their viewers reconnect to a random relay and resume. */
  relayCrashes: number;
  /** Root evictions at random times: calls fail for `rootDownMs`, queued pushes are lost. */
  rootEvictions: number;
  rootDownMs: number;
  /** How long a viewer whose relay crashed waits before it reconnects, ms. */
  reconnectMs: readonly [number, number];
  /** A deploy at this time (ms; negative: none): root and every relay restart, every viewer reconnects within `stormMs`. */
  stormAt: number;
  stormMs: number;
  /** A relay's heartbeat: attach to the root (learning its head) and retry what waits. */
  heartbeatMs: number;
  /** Hubs between the root and the relays (0: relays attach to the root); relay i hangs under hub i mod hubs. */
  hubs: number;
  /** Hubs evicted from memory at random times (ring, sequencer and queued pushes lost; links and head kept). */
  hubEvictions: number;
  relayRing: { maxFrames: number; maxBytes: number };
  rootRing: { maxFrames: number; maxBytes: number };
}

/** Calls an object has out: the platform does not hibernate an object awaiting I/O, so a simulated eviction waits for them. */
export class InFlight {
  #n = 0;
  track<T>(p: Promise<T>): Promise<T> {
    this.#n++;
    const done = () => void this.#n--;
    p.then(done, done);
    return p;
  }
  /** Runs `evict` once nothing is in flight (checked every 100 ms of simulated time). */
  whenIdle(clock: Clock, evict: () => void): void {
    if (this.#n > 0) return clock.after(100, () => this.whenIdle(clock, evict));
    evict();
  }
}

export const EPOCH = "sim-epoch";
export const RID = "r1";
const STATICS = { s1: ["<p>", " ", "</p>"] };

function diffText(seq: number, pad: string): string {
  return JSON.stringify({ type: "diff", seq, from: seq - 1, epoch: EPOCH, rid: RID, changes: { d: { 0: String(seq), 1: pad } } });
}
function renderText(seq: number, pad: string): string {
  return JSON.stringify({ type: "render", seq, epoch: EPOCH, rid: RID, statics: STATICS, dynamics: { s: "s1", d: [String(seq), pad] } });
}

/** What the root receives: a relay's fetches by why (RelayCore's FetchKind), its attach on a first connect, its heartbeat (an attach too), a detach. */
export const CALL_KINDS = ["gap", "resume", "render", "attach", "heartbeat", "detach", "action"] as const;
type CallKind = (typeof CALL_KINDS)[number];

/** Where a relay's frames come from: the root, or a hub (durable-objects/cluster/parent.ts). Each call is a round trip. */
export interface SimParent {
  /** Linked at the start (the relay attached before the run). */
  link(relay: string): void;
  /** relayAttach: links the relay, answers the head it should reach (`kind`: a first connect's, or a heartbeat's). */
  attach(relay: string, kind?: "attach" | "heartbeat"): Promise<number>;
  detach(relay: string): Promise<void>;
  /** relayFrames, counted by why the relay asks. */
  fetch(from: number | undefined, kind: FetchKind): Promise<SeqFrame[]>;
}

/** Calls per simulated second, by kind (what the root receives, and what it sends as pushes). */
export class PerSecond {
  readonly counts = new Map<string, number[]>();
  add(kind: string, now: number): void {
    let a = this.counts.get(kind);
    if (!a) this.counts.set(kind, (a = []));
    const s = Math.floor(now / 1000);
    a[s] = (a[s] ?? 0) + 1;
  }
  /** Mean and max per second over [from, to) seconds. */
  window(kinds: readonly string[], from: number, to: number): { mean: number; max: number } {
    let sum = 0;
    let max = 0;
    for (let s = from; s < to; s++) {
      let n = 0;
      for (const k of kinds) n += this.counts.get(k)?.[s] ?? 0;
      sum += n;
      max = Math.max(max, n);
    }
    return { mean: to > from ? sum / (to - from) : 0, max };
  }
}

export class SimRoot {
  readonly #world: World;
  readonly table = new MemoryRelayTable();
  links: RelayLinks;
  readonly #ring: FrameRing;
  readonly #pad: string;
  head = 0;
  downUntil = -1;
  /** Push calls made by earlier incarnations (RelayLinks counts its own). */
  #pastPushes = 0;

  constructor(world: World) {
    this.#world = world;
    this.#pad = "x".repeat(world.config.frameBytes);
    this.#ring = new FrameRing(EPOCH, world.config.rootRing);
    this.#ring.rebase(EPOCH, 0, RID);
    this.links = this.#links();
  }

  #links(): RelayLinks {
    return new RelayLinks(this.table as unknown as SqlStorage, (a) => this.#world.relayTarget(a.name, "push"));
  }

  get pushes(): number {
    return this.#pastPushes + this.links.calls;
  }

  /** The next seq: into the resume buffer, pushed to every attached relay. */
  commit(): void {
    const seq = this.head + 1;
    const text = diffText(seq, this.#pad);
    this.#ring.push({ from: this.head, seq, rid: RID, text });
    this.head = seq;
    this.#world.committedAt[seq] = this.#world.clock.now;
    this.links.push(seqFrameOf(text));
  }

  /** Component.relayFrames: the chain after `from`, or a render when the buffer cannot prove it. */
  frames(from: number | undefined): SeqFrame[] {
    if (from !== undefined) {
      const a = this.#ring.since(from, { epoch: EPOCH });
      if (!("full" in a)) return a.frames.map((f) => ({ epoch: EPOCH, ...f }));
    }
    return [seqFrameOf(renderText(this.head, this.#pad))];
  }

  /** Evicted: it answers nothing for a while; what RelayLinks held in memory (queues, calls in flight) is gone. */
  evict(): void {
    this.downUntil = this.#world.clock.now + this.#world.config.rootDownMs;
    this.#pastPushes += this.links.calls;
    this.links = this.#links();
  }
}

export class World {
  readonly config: SimConfig;
  readonly clock = new Clock();
  readonly random: () => number;
  readonly root: SimRoot;
  readonly viewers: Viewers;
  readonly calls = new PerSecond();
  readonly committedAt: Float64Array;
  /**
   * Commit-to-viewer latency, 1 ms buckets (the last collects the rest), of live frames (committed while the
   * viewer was connected) arriving before the deploy and after it; and of catch-up frames (committed while the
   * viewer was away: their latency includes its time offline).
   */
  readonly steady = new Int32Array(60_001);
  readonly storm = new Int32Array(60_001);
  readonly catchUp = new Int32Array(60_001);
  readonly errors = { rootCallsFailed: 0, pushesLost: 0, relayErrors: 0 };
  /** Set by the driver: the relay (or hub) a push to `name` reaches; `kind` counts it as the root's push or a hub's. */
  relayTarget!: (name: string, kind?: "push" | "hub-push") => RelayTarget;
  /** The root as a relay's parent. */
  readonly rootParent: SimParent = {
    link: (relay) => this.root.links.attach({ name: relay }),
    attach: (relay, kind = "attach") =>
      this.callRoot(kind, () => {
        this.root.links.attach({ name: relay });
        return this.root.head;
      }),
    detach: (relay) => this.callRoot("detach", () => this.root.links.detach(relay)),
    fetch: (from, kind) => this.callRoot(kind, () => this.root.frames(from)),
  };
  readonly #parsed = new Map<string, WireFrame>();
  /** The relays' clock for retries after failed calls: simulated time, the seeded random source. */
  readonly relayClock: RelayClock = {
    now: () => this.clock.now,
    schedule: (ms, run) => this.clock.after(ms, run, true),
    random: () => this.random(),
  };

  constructor(config: SimConfig) {
    this.config = config;
    this.random = rng(config.seed);
    this.committedAt = new Float64Array(config.frames + 1);
    this.viewers = new Viewers(config.relays * config.viewersPerRelay, (v, seq, arrival, count) => {
      const away = this.committedAt[seq]! < this.viewers.connectedAt[v]!;
      const h = away ? this.catchUp : config.stormAt >= 0 && arrival >= config.stormAt ? this.storm : this.steady;
      const ms = Math.round(arrival - this.committedAt[seq]!);
      h[Math.min(ms, h.length - 1)]! += count;
    });
    this.root = new SimRoot(this);
  }

  between([lo, hi]: readonly [number, number]): number {
    return lo + this.random() * (hi - lo);
  }

  /** A call to the root: one hop there, its answer as of then, one hop back; it fails while the root is down, or at random. */
  callRoot<T>(kind: CallKind, answer: () => T): Promise<T> {
    const { clock, config } = this;
    this.calls.add(kind, clock.now);
    return new Promise<T>((resolve, reject) => {
      clock.after(this.between(config.hopMs), () => {
        const down = clock.now < this.root.downUntil;
        const fails = down || this.random() < config.fetchFailRate;
        const value = fails ? undefined : answer();
        clock.after(
          this.between(config.hopMs),
          () => {
            if (fails) {
              this.errors.rootCallsFailed++;
              reject(new Error(down ? "root evicted" : "root call failed"));
            } else resolve(value as T);
          },
          true,
        );
      });
    });
  }

  /**
   * A call from a relay to its hub: a hop there, the hub's answer (which may wait on the root), a hop back.
   * Hub calls do not fail at random (only calls to the root do), so a hub run's failures are the root's.
   */
  callHub<T>(answer: () => T | Promise<T>): Promise<T> {
    const { clock, config } = this;
    this.calls.add("hub-call", clock.now);
    return new Promise<T>((resolve, reject) => {
      clock.after(this.between(config.hopMs), () => {
        let value: Promise<T>;
        try {
          value = Promise.resolve(answer());
        } catch (err) {
          value = Promise.reject(err);
        }
        value.then(
          (v) => clock.after(this.between(config.hopMs), () => resolve(v), true),
          (err: unknown) => clock.after(this.between(config.hopMs), () => reject(err), true),
        );
      }, true);
    });
  }

  /** A push from the root (or a hub) to a relay: lost (the call fails), delivered once, or twice with the copy late; resolves a hop after delivery. */
  push(deliver: () => void, kind: "push" | "hub-push" = "push"): Promise<void> {
    const { clock, config } = this;
    this.calls.add(kind, clock.now);
    return new Promise<void>((resolve, reject) => {
      const there = this.between(config.hopMs);
      if (this.random() < config.dropRate) {
        this.errors.pushesLost++;
        clock.after(there + this.between(config.hopMs), () => reject(new Error("push lost")), true);
        return;
      }
      clock.after(there, () => {
        deliver();
        clock.after(this.between(config.hopMs), () => resolve(), true);
      });
      if (this.random() < config.dupRate) clock.after(there + this.between(config.hopMs) * 3, deliver);
    });
  }

  /** A relay's send on viewer `v`'s socket, checked as the browser would apply it. */
  toViewer(v: number, text: string): void {
    let f = this.#parsed.get(text);
    if (!f) {
      if (this.#parsed.size > 4096) this.#parsed.clear();
      const p = JSON.parse(text) as WireFrame;
      f = { type: p.type, seq: p.seq, ...(p.from !== undefined ? { from: p.from } : {}) };
      this.#parsed.set(text, f);
    }
    this.viewers.send(v, f, this.clock.now);
  }
}

/** p50/p99/max of a 1 ms histogram. */
export function percentiles(histogram: Int32Array): { count: number; p50: number; p99: number; p999: number; max: number } {
  let total = 0;
  let max = 0;
  histogram.forEach((c, ms) => {
    total += c;
    if (c > 0) max = ms;
  });
  const at = (p: number) => {
    let seen = 0;
    for (let ms = 0; ms < histogram.length; ms++) if ((seen += histogram[ms]!) >= p * total) return ms;
    return histogram.length - 1;
  };
  return { count: total, p50: at(0.5), p99: at(0.99), p999: at(0.999), max };
}
