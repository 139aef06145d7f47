/**
 * A million browsers in typed arrays. A viewer's socket has one latency per
 * connection (so it keeps its frames in order) and a short history of what is
 * still on the wire: when the socket closes, what had not arrived is taken
 * back, so the viewer resumes from what it really shows. Each frame is checked
 * the way the browser runtime applies it: a diff must start where the viewer
 * is, a render must not go back.
 */

/** Frames sent to one viewer at the same instant and chained form one history entry; this many entries are kept. */
const K = 4;
const RENDER = 1;
const DIFF = 0;

export interface WireFrame {
  type: string;
  seq: number;
  from?: number;
}

export interface ViewerMetrics {
  /** Diffs that did not start where the viewer was, or renders going back: must be 0. */
  violations: number;
  /** Full renders to a viewer that already showed a state (each skips the seqs it jumps). */
  fullRenders: number;
  /** Seqs no diff brought to a viewer because a render jumped them. */
  skipped: number;
  /** A close found more in flight than the history holds (the resume point is then a guess): must be 0. */
  historyOverflows: number;
}

export class Viewers {
  readonly n: number;
  /** Bumped on each close: frames and hellos of an older connection are ignored. */
  readonly conn: Int32Array;
  /** The relay it is connected to, or -1. */
  readonly relay: Int32Array;
  readonly latency: Float32Array;
  /** When the current connection opened: a frame committed before it was missed while away (a catch-up, not a live frame). */
  readonly connectedAt: Float64Array;
  /** The seq of the last frame its relay sent on this connection (arrived or on the wire); -1 none. */
  readonly lastSent: Int32Array;
  /** Diffs applied (taken back when they were still on the wire at a close). */
  readonly applied: Int32Array;
  readonly #kind: Uint8Array;
  readonly #prev: Int32Array;
  readonly #seq: Int32Array;
  readonly #at: Float64Array;
  readonly #len: Uint8Array;
  readonly #top: Uint8Array;
  /** The first few violations, to find them again (a run is a pure function of its seed). */
  readonly firstViolations: { viewer: number; relay: number; at: number; shows: number; got: WireFrame; connectedAt: number }[] = [];
  readonly metrics: ViewerMetrics = { violations: 0, fullRenders: 0, skipped: 0, historyOverflows: 0 };
  /** Records commit-to-viewer latency of a diff (negative count: take it back). */
  readonly #record: (v: number, seq: number, arrival: number, count: 1 | -1) => void;

  constructor(n: number, record: (v: number, seq: number, arrival: number, count: 1 | -1) => void) {
    this.n = n;
    this.conn = new Int32Array(n);
    this.relay = new Int32Array(n).fill(-1);
    this.latency = new Float32Array(n);
    this.connectedAt = new Float64Array(n);
    this.lastSent = new Int32Array(n).fill(-1);
    this.applied = new Int32Array(n);
    this.#kind = new Uint8Array(n * K);
    this.#prev = new Int32Array(n * K);
    this.#seq = new Int32Array(n * K);
    this.#at = new Float64Array(n * K);
    this.#len = new Uint8Array(n);
    this.#top = new Uint8Array(n);
    this.#record = record;
  }

  /** A new connection to `relay`, with a socket latency of `latency` ms. */
  connect(v: number, relay: number, latency: number, now: number): void {
    this.connectedAt[v] = now;
    this.relay[v] = relay;
    this.latency[v] = latency;
    this.#len[v] = 0;
  }

  /** The relay sent `f` at `now`; returns false when the browser could not apply it. */
  send(v: number, f: WireFrame, now: number): boolean {
    const arrival = now + this.latency[v]!;
    const last = this.lastSent[v]!;
    const m = this.metrics;
    const render = f.from === undefined;
    if (render ? f.seq < last : f.from !== last) {
      m.violations++;
      if (this.firstViolations.length < 5) this.firstViolations.push({ viewer: v, relay: this.relay[v]!, at: Math.round(now), shows: last, got: { type: f.type, seq: f.seq, ...(f.from !== undefined ? { from: f.from } : {}) }, connectedAt: Math.round(this.connectedAt[v]!) });
      return false;
    }
    if (render && last >= 0) {
      m.fullRenders++;
      m.skipped += Math.max(0, f.seq - last);
    }
    const base = v * K;
    const top = this.#top[v]!;
    const lastEntry = base + ((top + K - 1) % K);
    if (!render && this.#len[v]! > 0 && this.#kind[lastEntry] === DIFF && this.#at[lastEntry] === arrival && this.#seq[lastEntry] === last) {
      this.#seq[lastEntry] = f.seq; // the same burst: one entry
    } else {
      const i = base + top;
      if (this.#len[v] === K && this.#at[i]! > now) m.historyOverflows++; // the oldest is overwritten while still on the wire
      this.#kind[i] = render ? RENDER : DIFF;
      this.#prev[i] = last;
      this.#seq[i] = f.seq;
      this.#at[i] = arrival;
      this.#top[v] = (top + 1) % K;
      if (this.#len[v]! < K) this.#len[v]!++;
    }
    this.lastSent[v] = f.seq;
    if (!render) {
      this.applied[v]!++;
      this.#record(v, f.seq, arrival, 1);
    }
    return true;
  }

  /** The socket closed at `now`: frames still on the wire never arrive. Returns what the viewer shows (-1: nothing). */
  close(v: number, now: number): number {
    const base = v * K;
    while (this.#len[v]! > 0) {
      const top = (this.#top[v]! + K - 1) % K;
      const i = base + top;
      if (this.#at[i]! <= now) break;
      const prev = this.#prev[i]!;
      if (this.#kind[i] === DIFF) {
        for (let s = prev + 1; s <= this.#seq[i]!; s++) this.#record(v, s, this.#at[i]!, -1);
        this.applied[v]! -= this.#seq[i]! - prev;
      } else if (prev >= 0) {
        this.metrics.fullRenders--;
        this.metrics.skipped -= Math.max(0, this.#seq[i]! - prev);
      }
      this.lastSent[v] = prev;
      this.#top[v] = top;
      this.#len[v]!--;
    }
    this.#len[v] = 0;
    this.conn[v]!++;
    this.relay[v] = -1;
    return this.lastSent[v]!;
  }
}
