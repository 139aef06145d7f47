export interface TextUpdate {
  /** The whole text so far. */
  text: string;
  /** What arrived since the previous update. */
  delta: string;
  /** Updates delivered, this one included. */
  seq: number;
  done: boolean;
}

/** Timers behind the buffer; injectable so tests control time. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface CoalescingOptions {
  /** At most one update per this many milliseconds. */
  flushMs: number;
  onUpdate(update: TextUpdate): void | Promise<void>;
  clock?: Clock;
}

/**
 * Turns a token stream into growing-text updates, at most one per flush
 * window: the first token goes out at once (fast first paint), later tokens
 * wait for the window to close. `close()` always delivers the final text.
 * Updates never overlap: a slow `onUpdate` delays the next one.
 */
export class CoalescingTokenBuffer {
  readonly #flushMs: number;
  readonly #onUpdate: CoalescingOptions["onUpdate"];
  readonly #clock: Clock;
  #text = "";
  #sent = 0;
  #seq = 0;
  #lastFlush = -Infinity;
  #timer: unknown;
  #chain: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(options: CoalescingOptions) {
    if (!(options.flushMs >= 0)) throw new RangeError("flushMs must be >= 0");
    this.#flushMs = options.flushMs;
    this.#onUpdate = options.onUpdate;
    this.#clock = options.clock ?? realClock;
  }

  get text(): string {
    return this.#text;
  }

  push(token: string): void {
    if (this.#closed) throw new Error("The buffer is closed.");
    if (token === "") return;
    this.#text += token;
    if (this.#timer !== undefined) return;
    const wait = this.#lastFlush + this.#flushMs - this.#clock.now();
    if (wait <= 0) this.#flush(false);
    else this.#timer = this.#clock.setTimeout(() => this.#flush(false), wait);
  }

  /** Delivers what is pending as the final update and resolves once every update has been handled. */
  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#flush(true);
    }
    return this.#chain;
  }

  /** Stops without a final update (the stream failed); resolves after updates already queued. */
  abort(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    return this.#chain;
  }

  #flush(done: boolean): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    if (!done && this.#sent === this.#text.length) return;
    const update: TextUpdate = { text: this.#text, delta: this.#text.slice(this.#sent), seq: ++this.#seq, done };
    this.#sent = this.#text.length;
    this.#lastFlush = this.#clock.now();
    this.#chain = this.#chain.then(() => this.#onUpdate(update));
  }
}
