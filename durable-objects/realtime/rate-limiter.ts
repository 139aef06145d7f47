/**
 * Per-socket fixed-window frame counter. In memory on purpose: a hibernated
 * object has no traffic to count, and waking resets the window harmlessly.
 */
export class RateLimiter<K extends object> {
  readonly #windows = new WeakMap<K, { start: number; count: number }>();
  readonly #limit: number;
  readonly #windowMs: number;

  constructor(limit: number, windowMs: number) {
    this.#limit = limit;
    this.#windowMs = windowMs;
  }

  /** Counts one frame; false once the socket is past its limit for this window. */
  hit(key: K, now: number): boolean {
    let w = this.#windows.get(key);
    if (!w || now - w.start >= this.#windowMs) {
      w = { start: now, count: 0 };
      this.#windows.set(key, w);
    }
    return ++w.count <= this.#limit;
  }
}
