/**
 * A relay's in-order, exactly-once intake of its parent's frames. The parent's
 * pushes may arrive duplicated, reordered or not at all; the sequencer delivers
 * each link of the chain once, in order, and fills a gap with one range fetch.
 * Frames form a chain (`from` -> `seq`), not consecutive integers: a diff may
 * span several commits, so a gap is "no frame from my head", never "seq+1 missing".
 */

/** A frame as the relay sees it: a diff (`from` set) or a full render (no `from`: a chain start). */
export interface SeqFrame {
  epoch: string;
  seq: number;
  from?: number;
  rid: string;
  text: string;
}

/** What the sequencer hands on: a frame in chain order, or "what you show is void" on an epoch change. */
export type Delivery = { type: "frame"; frame: SeqFrame } | { type: "reset"; epoch: string };

export interface SequencerOptions {
  /** What the relay already shows, when it starts from a known point (else the first frames fetch a render). */
  start?: { epoch: string; seq: number };
  /**
   * Frames of the parent's chain taking a viewer from `from` to at least `to` (links after `from`,
   * or a render first when the parent cannot prove the chain); `from` undefined asks for a render.
   */
  fetchRange(from: number | undefined, to: number): Promise<readonly SeqFrame[]>;
  deliver(delivery: Delivery): void;
  /** A fetch that failed or left its gap open; the gap is asked for again on the next frame. */
  onError?(err: unknown): void;
  /** Frames held ahead of the head at most (default 4096): past it they are dropped and refetched, so a long outage cannot grow memory. */
  maxWaiting?: number;
}

/** Epochs left behind, remembered so a late frame of an old log does not reset the relay back to it. */
const RETIRED_EPOCHS = 8;

export class Sequencer {
  readonly #fetch: SequencerOptions["fetchRange"];
  readonly #deliver: SequencerOptions["deliver"];
  readonly #onError: (err: unknown) => void;
  readonly #maxWaiting: number;
  #epoch: string | undefined;
  /** The seq delivered last in this epoch; undefined until a render (or the start point) gives one. */
  #head: number | undefined;
  /** Frames ahead of the head, by their `from`: each waits for the chain to reach it. */
  readonly #waiting = new Map<number, SeqFrame>();
  /**
   * The highest seq any fetch of this epoch has asked up to: new fetches start above it, so no
   * range is asked for twice (concurrent gaps coalesce into the fetch already covering them).
   */
  #askedTo = Number.NEGATIVE_INFINITY;
  #renderAsked = false;
  /** A seq the head must reach that no waiting frame leads to (set by a frame that skips the head). */
  #gapTo = Number.NEGATIVE_INFINITY;
  /** Bumped on each epoch change: answers to an older epoch's fetches are ignored. */
  #generation = 0;
  readonly #retired: string[] = [];
  /** Fetches issued (for tests and metrics). */
  fetches = 0;

  constructor(options: SequencerOptions) {
    this.#fetch = options.fetchRange;
    this.#deliver = options.deliver;
    this.#onError = options.onError ?? ((err) => console.error("relay gap fill failed", err));
    this.#maxWaiting = options.maxWaiting ?? 4096;
    this.#epoch = options.start?.epoch;
    this.#head = options.start?.seq;
  }

  get epoch(): string | undefined {
    return this.#epoch;
  }
  get head(): number | undefined {
    return this.#head;
  }
  /** Frames held ahead of the head. */
  get waiting(): number {
    return this.#waiting.size;
  }

  /** A frame pushed by the parent, in whatever order the network brought it. */
  accept(frame: SeqFrame): void {
    if (this.#ingest(frame)) this.#fill();
  }

  /** A batch of pushed frames: what the whole batch leaves missing is asked for in one fetch. */
  acceptAll(frames: readonly SeqFrame[]): void {
    let took = false;
    for (const f of frames) took = this.#ingest(f) || took;
    if (took) this.#fill();
  }

  /**
   * The parent's head as of a heartbeat: exposes a gap at the tail, which no later frame would
   * (the last frame of a burst dropped on the way).
   */
  announce(epoch: string, seq: number): void {
    if (epoch !== this.#epoch) {
      if (this.#retired.includes(epoch)) return;
      this.#newEpoch(epoch);
    }
    if (this.#head !== undefined && seq <= this.#head) return;
    this.#gapTo = Math.max(this.#gapTo, seq);
    this.#fill();
  }

  /** Takes a frame into the chain; false when it was ignored (an old epoch's, a duplicate). */
  #ingest(frame: SeqFrame): boolean {
    if (frame.epoch !== this.#epoch) {
      if (this.#retired.includes(frame.epoch)) return false;
      this.#newEpoch(frame.epoch);
    }
    const head = this.#head;
    if (head !== undefined && frame.seq <= head) return false;
    if (frame.from === undefined) {
      // A render starts the chain at its seq: everything older is moot.
      this.#advance(frame);
    } else if (frame.from === head) {
      this.#advance(frame);
    } else if (head === undefined || frame.from > head) {
      this.#waiting.set(frame.from, frame);
      if (this.#waiting.size > this.#maxWaiting) {
        // Too far behind to hold: the fetch from the head brings it all again (or a render).
        for (const f of this.#waiting.values()) this.#gapTo = Math.max(this.#gapTo, f.seq);
        this.#waiting.clear();
      }
    } else {
      // from < head < seq: not a link of the chain we follow; a fetch from the head repairs it.
      this.#gapTo = Math.max(this.#gapTo, frame.seq);
    }
    return true;
  }

  #newEpoch(epoch: string): void {
    const previous = this.#epoch;
    if (previous !== undefined) {
      this.#retired.push(previous);
      if (this.#retired.length > RETIRED_EPOCHS) this.#retired.shift();
    }
    this.#epoch = epoch;
    this.#head = undefined;
    this.#waiting.clear();
    this.#askedTo = Number.NEGATIVE_INFINITY;
    this.#gapTo = Number.NEGATIVE_INFINITY;
    this.#renderAsked = false;
    this.#generation++;
    // A relay that showed nothing yet has nothing to void.
    if (previous !== undefined) this.#deliver({ type: "reset", epoch });
  }

  /** Delivers `frame` as the new head, then every waiting frame the chain now reaches. */
  #advance(frame: SeqFrame): void {
    let next: SeqFrame | undefined = frame;
    while (next) {
      this.#head = next.seq;
      this.#deliver({ type: "frame", frame: next });
      this.#waiting.delete(next.from ?? Number.NaN);
      next = this.#waiting.get(next.seq);
    }
    // Frames left behind by a render's jump can never be delivered.
    for (const [from, f] of this.#waiting) if (f.seq <= this.#head! || from < this.#head!) this.#waiting.delete(from);
  }

  /** Asks once for whatever the waiting frames show is missing. */
  #fill(): void {
    const head = this.#head;
    // The missing range ends at the highest `from` that no waiting frame leads to: a run of
    // waiting frames chained to each other needs only what comes before its first.
    // A seq the head must reach (an announced head) counts when no waiting frame goes past it.
    const leadsTo = new Set<number>();
    let furthest = Number.NEGATIVE_INFINITY;
    for (const f of this.#waiting.values()) {
      leadsTo.add(f.seq);
      furthest = Math.max(furthest, f.seq);
    }
    let target = this.#gapTo > furthest ? this.#gapTo : Number.NEGATIVE_INFINITY;
    for (const from of this.#waiting.keys()) if (from > target && !leadsTo.has(from)) target = from;
    if (head !== undefined && target <= head) return;
    if (target === Number.NEGATIVE_INFINITY) return;
    if (head === undefined) {
      if (this.#renderAsked) return;
      this.#renderAsked = true;
      this.#request(undefined, target);
      return;
    }
    const from = Math.max(head, this.#askedTo);
    if (target <= from) return;
    this.#askedTo = target;
    this.#request(from, target);
  }

  #request(from: number | undefined, to: number): void {
    const generation = this.#generation;
    this.fetches++;
    let answer: Promise<readonly SeqFrame[]>;
    try {
      answer = this.#fetch(from, to);
    } catch (err) {
      answer = Promise.reject(err);
    }
    answer.then(
      (frames) => {
        if (generation !== this.#generation) return;
        for (const f of frames) this.#ingest(f);
        // An answer that moved to a newer epoch starts that epoch's own fills.
        if (generation !== this.#generation) return this.#fill();
        // Judge the answer by its own chain: the head may lag behind it while an earlier range is still out.
        if (!reaches(frames, from, to) && (this.#head ?? Number.NEGATIVE_INFINITY) < to) {
          return this.#reopen(from, new Error(`the parent's answer did not reach seq ${to}`));
        }
        this.#fill();
      },
      (err: unknown) => {
        if (generation === this.#generation) this.#reopen(from, err);
      },
    );
  }

  /** Lets the next frame ask again for a range whose fetch failed. */
  #reopen(from: number | undefined, err: unknown): void {
    if (from === undefined) this.#renderAsked = false;
    else this.#askedTo = Math.min(this.#askedTo, from);
    this.#onError(err);
  }
}

/** Whether `frames` take a viewer at `from` (or, undefined, at nothing) to `to` or beyond. */
function reaches(frames: readonly SeqFrame[], from: number | undefined, to: number): boolean {
  let at = from;
  for (const f of frames) {
    if (f.from === undefined) at = Math.max(at ?? f.seq, f.seq);
    else if (f.from === at) at = f.seq;
  }
  return at !== undefined && at >= to;
}
