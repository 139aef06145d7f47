/**
 * Resumes older than a relay's ring, asked of its parent (its buffer is longer).
 * Such resumers park here, unserved and not rendered, and one fetch at a time
 * asks for the widest range they need (from the oldest parked point up to the
 * head), so every resumer of a relay waiting at once shares one call. A failed
 * fetch puts the lane in backoff (ParentBackoff): the parked viewers stay parked
 * and are served when a retry succeeds; only a viewer parked past MAX_PARK_MS,
 * or after MAX_ATTEMPTS failures in a row, is given up on (one full render).
 * Answers are kept for the next resumers of the same points: in a deploy storm
 * the viewers of one point come back over tens of seconds.
 */
import type { ParentBackoff, RelayClock } from "./parent-backoff";
import type { SeqFrame } from "./sequencer";

/** The parent's frames from `since`, for a viewer with render identity `rid` there. */
export interface ResumeAnswer {
  since: number;
  rid: string | undefined;
  frames: readonly SeqFrame[];
}

/** How long a resumer waits for its parent (a restarting root) before it gets a render instead. */
export const MAX_PARK_MS = 30_000;
/** Failed fetches in a row after which every parked resumer gets a render. */
export const MAX_ATTEMPTS = 10;
/** Answers kept for later resumers (each up to the parent's buffer). */
const KEPT_ANSWERS = 16;

export interface ResumeLaneOptions<V> {
  fetch(since: number, rid: string | undefined): Promise<readonly SeqFrame[]>;
  /** Serves a parked viewer at `(since, rid)` from an answer; false when the answer cannot prove its chain. */
  serve(viewer: V, since: number, rid: string | undefined, answer: ResumeAnswer): boolean;
  /** The parent will not serve this viewer's resume (gave up, or its own answer is unusable): one render. */
  giveUp(viewer: V): void;
  backoff: ParentBackoff;
  clock: RelayClock;
  onError(err: unknown): void;
}

interface Parked {
  since: number;
  rid: string | undefined;
  parkedAt: number;
}

export class ResumeLane<V> {
  readonly #o: ResumeLaneOptions<V>;
  readonly #parked = new Map<V, Parked>();
  #kept: ResumeAnswer[] = [];
  #inFlight = false;
  #attempts = 0;
  /** Bumped by clear(): an answer to an older epoch's fetch is dropped. */
  #generation = 0;
  /** Fetches made (for tests and metrics). */
  fetches = 0;

  constructor(options: ResumeLaneOptions<V>) {
    this.#o = options;
  }

  get parked(): number {
    return this.#parked.size;
  }

  /** A resume from before the ring: served from a kept answer, else parked until a fetch serves it. */
  park(viewer: V, since: number, rid: string | undefined): void {
    for (let i = this.#kept.length - 1; i >= 0; i--) if (this.#o.serve(viewer, since, rid, this.#kept[i]!)) return;
    this.#parked.set(viewer, { since, rid, parkedAt: this.#o.clock.now() });
    this.#pump();
  }

  leave(viewer: V): void {
    this.#parked.delete(viewer);
  }

  /** The epoch changed: parked viewers get the new epoch's render (the caller's), kept answers are void. */
  clear(): void {
    this.#parked.clear();
    this.#kept = [];
    this.#inFlight = false;
    this.#attempts = 0;
    this.#generation++;
  }

  #pump(): void {
    if (!this.#inFlight && this.#parked.size > 0) this.#o.backoff.when(this.#request);
  }

  readonly #request = (): void => {
    if (this.#inFlight || this.#parked.size === 0) return;
    // The oldest point: its answer runs through every newer parked point of the same chain.
    let point: Parked | undefined;
    for (const p of this.#parked.values()) if (!point || p.since < point.since) point = p;
    const { since, rid } = point!;
    const generation = this.#generation;
    this.#inFlight = true;
    this.fetches++;
    let answer: Promise<readonly SeqFrame[]>;
    try {
      answer = this.#o.fetch(since, rid);
    } catch (err) {
      answer = Promise.reject(err);
    }
    answer.then(
      (frames) => {
        if (generation !== this.#generation) return;
        this.#inFlight = false;
        this.#attempts = 0;
        this.#o.backoff.succeeded();
        const a: ResumeAnswer = { since, rid, frames };
        this.#kept.push(a);
        if (this.#kept.length > KEPT_ANSWERS) this.#kept.shift();
        for (const [v, p] of this.#parked) {
          if (this.#o.serve(v, p.since, p.rid, a)) this.#parked.delete(v);
          else if (p.since === since && p.rid === rid) {
            // The parent's answer for this very point is final: asking again would get the same.
            this.#parked.delete(v);
            this.#o.giveUp(v);
          }
        }
        this.#pump();
      },
      (err: unknown) => {
        if (generation !== this.#generation) return;
        this.#inFlight = false;
        this.#o.onError(err);
        this.#o.backoff.failed();
        const now = this.#o.clock.now();
        const all = ++this.#attempts >= MAX_ATTEMPTS;
        for (const [v, p] of this.#parked) {
          if (!all && now - p.parkedAt < MAX_PARK_MS) continue;
          this.#parked.delete(v);
          this.#o.giveUp(v);
        }
        if (all) this.#attempts = 0;
        this.#pump();
      },
    );
  };
}
