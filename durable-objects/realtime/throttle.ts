/**
 * Leading-edge throttle on a timer: the first poke after a quiet window runs
 * on the next turn (so everything poked in one turn shares the run); pokes
 * inside the window wait for its end and share one run. The window is asked
 * each time, so it can grow with what a run costs.
 */
export interface ThrottleOptions {
  /** Does the work; returns false when there was nothing to do (the window does not restart). */
  run(): boolean;
  windowMs(): number;
  now?: () => number;
  /** Defaults to setTimeout; injected by tests. */
  schedule?: (fn: () => void, ms: number) => unknown;
}

export class Throttle {
  readonly #opts: ThrottleOptions;
  readonly #now: () => number;
  readonly #schedule: (fn: () => void, ms: number) => unknown;
  #lastAt = Number.NEGATIVE_INFINITY;
  #pending = false;

  constructor(options: ThrottleOptions) {
    this.#opts = options;
    this.#now = options.now ?? Date.now;
    this.#schedule = options.schedule ?? ((fn, ms) => setTimeout(fn, ms));
  }

  get pending(): boolean {
    return this.#pending;
  }

  poke(): void {
    if (this.#pending) return;
    this.#pending = true;
    this.#schedule(() => this.#fire(), Math.max(0, this.#lastAt + this.#opts.windowMs() - this.#now()));
  }

  #fire(): void {
    this.#pending = false;
    if (this.#opts.run()) this.#lastAt = this.#now();
  }
}
