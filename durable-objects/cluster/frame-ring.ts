/**
 * A relay's memory of recent frames, for viewers resuming with `since`. It is
 * in memory only: a relay that is evicted loses it and refills from new frames
 * (older resumes go to its parent), so nothing here is persisted. Bounded by a
 * frame count and a byte budget, since relays share an isolate's 128 MB.
 */

/** One diff of the chain: it takes a viewer from `from` to `seq`, leaving it with render identity `rid`. */
export interface RingFrame {
  from: number;
  seq: number;
  rid: string;
  text: string;
}

export interface FrameRingOptions {
  maxFrames: number;
  maxBytes: number;
}

/** Frames bringing a viewer to the ring's head, or `full` when the ring cannot prove a chain from its point. */
export type RingAnswer = { frames: readonly RingFrame[] } | { full: true };

/** UTF-8 length without encoding (no allocation per frame on the hot path). */
export function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 2; // a surrogate pair: 2 units, 4 bytes
        i++;
      } else n += 2;
    } else n += 2;
  }
  return n;
}

/**
 * Frames of one epoch forming a chain (each `from` is the previous `seq`).
 * `push` keeps the invariant: a frame that does not continue the chain, or one
 * larger than the whole budget, restarts the ring after it, so `since` never
 * answers with frames that skip a state.
 */
export class FrameRing {
  readonly #maxFrames: number;
  readonly #maxBytes: number;
  #epoch: string;
  #frames: (RingFrame & { bytes: number })[] = [];
  /** Index of the oldest frame in #frames: eviction advances it, and the array is compacted now and then. */
  #start = 0;
  #bytes = 0;
  /** The seq and rid a viewer has after the newest frame (or at the point the ring was rebased to). */
  #head: { seq: number; rid: string } | undefined;
  /** The rid at the oldest frame's `from`, when known (a resumer's rid is checked against it). */
  #baseRid: string | undefined;

  constructor(epoch: string, options: FrameRingOptions) {
    if (!(options.maxFrames >= 0 && options.maxBytes >= 0)) throw new RangeError("FrameRing limits must be non-negative");
    this.#epoch = epoch;
    this.#maxFrames = options.maxFrames;
    this.#maxBytes = options.maxBytes;
  }

  get epoch(): string {
    return this.#epoch;
  }
  get head(): { seq: number; rid: string } | undefined {
    return this.#head;
  }
  get size(): number {
    return this.#frames.length - this.#start;
  }
  get bytes(): number {
    return this.#bytes;
  }
  /** The oldest seq a resumer can be answered from (the first frame's `from`), or undefined when empty. */
  get oldest(): number | undefined {
    return this.#frames[this.#start]?.from ?? this.#head?.seq;
  }

  /** Forgets every frame and starts at `(epoch, seq, rid)`: a full render was sent, or the epoch changed. */
  rebase(epoch: string, seq: number, rid: string): void {
    this.#epoch = epoch;
    this.#reset(seq, rid);
  }

  #reset(seq: number, rid: string | undefined): void {
    this.#frames = [];
    this.#start = 0;
    this.#bytes = 0;
    this.#head = { seq, rid: rid ?? "" };
    this.#baseRid = rid;
  }

  push(frame: RingFrame): void {
    const head = this.#head;
    if (head !== undefined && frame.seq <= head.seq) return; // already held: a duplicate
    const bytes = utf8Length(frame.text);
    if (bytes > this.#maxBytes || this.#maxFrames === 0) {
      // Cannot be kept: resumes from before it get a full render, resumes from it are still exact.
      return this.#reset(frame.seq, frame.rid);
    }
    // The chain breaks here: a resume from before this frame cannot be proven, from its `from` on it can.
    if (head === undefined || frame.from !== head.seq) this.#reset(frame.from, undefined);
    this.#frames.push({ ...frame, bytes });
    this.#bytes += bytes;
    this.#head = { seq: frame.seq, rid: frame.rid };
    while (this.size > this.#maxFrames || this.#bytes > this.#maxBytes) this.#evict();
  }

  #evict(): void {
    const old = this.#frames[this.#start]!;
    this.#frames[this.#start] = undefined as never; // let the text be collected before compaction
    this.#start++;
    this.#bytes -= old.bytes;
    this.#baseRid = old.rid;
    if (this.#start > 64 && this.#start * 2 > this.#frames.length) {
      this.#frames = this.#frames.slice(this.#start);
      this.#start = 0;
    }
  }

  /**
   * The frames after `since` up to the head, in order; `full` when `since` is outside the ring
   * (older than its oldest, newer than its head), not a link of the chain, of another epoch,
   * or when the viewer's `rid` at `since` differs from (or cannot be checked against) the chain's.
   */
  since(since: number, options: { epoch?: string; rid?: string } = {}): RingAnswer {
    const head = this.#head;
    if (head === undefined || (options.epoch !== undefined && options.epoch !== this.#epoch)) return { full: true };
    if (since === head.seq) return options.rid === undefined || options.rid === head.rid ? { frames: [] } : { full: true };
    const first = this.#find(since);
    if (first < 0) return { full: true };
    if (options.rid !== undefined) {
      const ridAt = first === this.#start ? this.#baseRid : this.#frames[first - 1]!.rid;
      if (ridAt !== options.rid) return { full: true };
    }
    return { frames: this.#frames.slice(first).map(({ from, seq, rid, text }) => ({ from, seq, rid, text })) };
  }

  /** Index of the frame whose `from` is `since` (binary search: seqs increase along the chain), or -1. */
  #find(since: number): number {
    let lo = this.#start;
    let hi = this.#frames.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const f = this.#frames[mid]!;
      if (f.from === since) return mid;
      if (f.from < since) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}
