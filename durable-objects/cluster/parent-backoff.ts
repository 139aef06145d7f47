/**
 * When a relay may call its parent again after a failed call. A parent that
 * restarts in the same deploy as its relays fails every call for a while; asking
 * again at once, per joining viewer, multiplied the root's load exactly when it
 * came back. Each failure pushes the next call out (exponential, equal jitter,
 * capped); calls wanted meanwhile wait on one timer and run together when it ends.
 */
import { backoffDelay } from "../../client/backoff";

/** The relay's clock and randomness: the platform's in an object, simulated time in the simulation. */
export interface RelayClock {
  now(): number;
  /** Runs `run` after `ms` (an object keeps itself in memory while a timer is pending: see relay.ts). */
  schedule(ms: number, run: () => void): void;
  random(): number;
}

export const systemClock: RelayClock = {
  now: () => Date.now(),
  schedule: (ms, run) => void setTimeout(run, ms),
  random: () => Math.random(),
};

/** The first retry after 200 ms (a restarting root is often back within a second), at most every 5 s. */
const BASE_MS = 200;
const CAP_MS = 5000;

export class ParentBackoff {
  readonly #clock: RelayClock;
  #failures = 0;
  #readyAt = Number.NEGATIVE_INFINITY;
  /** Calls waiting for the backoff to end (a Set: a caller that asks twice runs once). */
  readonly #due = new Set<() => void>();
  #timer = false;
  #stopped = false;

  constructor(clock: RelayClock) {
    this.#clock = clock;
  }

  /** Failures in a row (0 once a call succeeds). */
  get failures(): number {
    return this.#failures;
  }
  /** The parent may be called now (no failure, or its backoff has passed). */
  get ready(): boolean {
    return this.#clock.now() >= this.#readyAt;
  }
  /** A retry is scheduled: the object has work pending (it must not be taken to hibernate). */
  get pending(): boolean {
    return this.#due.size > 0;
  }

  failed(): void {
    this.#readyAt = this.#clock.now() + backoffDelay(this.#failures++, BASE_MS, CAP_MS, () => this.#clock.random());
  }

  succeeded(): void {
    this.#failures = 0;
    this.#readyAt = Number.NEGATIVE_INFINITY;
  }

  /** Runs `call` now when the parent may be called, else once the backoff ends. */
  when(call: () => void): void {
    if (this.#stopped) return;
    if (this.#clock.now() >= this.#readyAt && !this.#timer) return call();
    this.#due.add(call);
    this.#arm();
  }

  /** The object this belongs to is gone: nothing waiting runs. */
  stop(): void {
    this.#stopped = true;
    this.#due.clear();
  }

  #arm(): void {
    if (this.#timer) return;
    this.#timer = true;
    this.#clock.schedule(Math.max(0, this.#readyAt - this.#clock.now()), () => {
      this.#timer = false;
      if (this.#stopped) return;
      // A call that failed meanwhile moved the end out: wait for the new one.
      if (this.#clock.now() < this.#readyAt) return this.#arm();
      const due = [...this.#due];
      this.#due.clear();
      for (const call of due) call();
    });
  }
}

/**
 * A wrapper's call to the parent that many callers need at once (a connect's attach): concurrent
 * callers share one call, and while the backoff runs a caller fails at once instead of asking again.
 */
export class SharedCall {
  #inFlight: Promise<void> | undefined;

  run(backoff: ParentBackoff, call: () => Promise<void>): Promise<void> {
    if (this.#inFlight) return this.#inFlight;
    if (!backoff.ready) return Promise.reject(new Error("the parent is not answering; retry later"));
    const p = call().then(
      () => backoff.succeeded(),
      (err: unknown) => {
        backoff.failed();
        throw err;
      },
    );
    const shared = p.finally(() => {
      if (this.#inFlight === shared) this.#inFlight = undefined;
    });
    this.#inFlight = shared;
    return shared;
  }

  /** The object restarted: a call of the previous incarnation is not shared. */
  reset(): void {
    this.#inFlight = undefined;
  }
}
