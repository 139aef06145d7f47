/**
 * Runs steps one at a time, in arrival order. A step is a decision and its
 * commit: an async action handler that awaits I/O holds the lane, so the next
 * action decides on the state the first one left (Durable Object semantics,
 * extended across the handler's awaits). A sync step on an idle lane runs at
 * once and returns its value directly: the common case pays no promise.
 */
export class SerialLane {
  #tail: Promise<unknown> | undefined;

  run<T>(step: () => T | Promise<T>): T | Promise<T> {
    if (this.#tail === undefined) {
      const out = step();
      return isPromise(out) ? this.#hold(out) : out;
    }
    return this.#hold(this.#tail.then(step));
  }

  #hold<T>(p: Promise<T>): Promise<T> {
    const tail: Promise<unknown> = p.then(
      () => this.#release(tail),
      () => this.#release(tail),
    );
    this.#tail = tail;
    return p;
  }

  #release(tail: Promise<unknown>): void {
    if (this.#tail === tail) this.#tail = undefined;
  }
}

function isPromise<T>(v: T | Promise<T>): v is Promise<T> {
  return typeof (v as { then?: unknown } | null)?.then === "function";
}
