/**
 * "N watching" for a root: its own ready sockets plus the relays' aggregate,
 * and a throttle so a component hears about a change at most once per window
 * (a join storm on a thousand relays is one `onWatching` call, not a frame per
 * join). Leading edge: the first change after a quiet window is announced at
 * once; later ones inside the window wait for its end and are announced as
 * one total.
 */
import type { RelayPresenceReport } from "./contracts";
import { Throttle } from "../realtime/throttle";
import { RelayPresenceSet, type PresenceMerge } from "./presence-aggregate";

export interface WatchingOptions {
  ttlMs: number;
  flushMs: number;
  /** The root's own present sockets. */
  own(): number;
  /** Called with the new total, throttled; only when it differs from the last one announced. None: nothing is scheduled. */
  announce?(total: number): void;
  now?: () => number;
}

export class Watching {
  readonly #relays: RelayPresenceSet;
  readonly #opts: WatchingOptions;
  readonly #now: () => number;
  #announced: number | undefined;
  readonly #throttle: Throttle;

  constructor(options: WatchingOptions) {
    this.#relays = new RelayPresenceSet(options.ttlMs);
    this.#opts = options;
    this.#now = options.now ?? Date.now;
    this.#throttle = new Throttle({ run: () => this.#fire(), windowMs: () => options.flushMs, now: this.#now });
  }

  total(): number {
    return this.#opts.own() + this.#relays.total(this.#now());
  }

  /** Live relays and their counts. */
  relays(): Map<string, number> {
    return this.#relays.relays(this.#now());
  }

  report(report: RelayPresenceReport): PresenceMerge {
    const r = this.#relays.merge(report, this.#now());
    if (r.applied) this.changed();
    return { applied: r.applied, total: this.#opts.own() + r.total };
  }

  /** Drops silent relays (the root's alarm calls it); returns when the next one would expire. */
  expire(): number | undefined {
    if (this.#relays.expire(this.#now()).length > 0) this.changed();
    return this.#relays.nextExpiry();
  }

  nextExpiry(): number | undefined {
    return this.#relays.nextExpiry();
  }

  /** Something may have changed the total (a report, a socket joining or leaving here). */
  changed(): void {
    if (this.#opts.announce) this.#throttle.poke();
  }

  #fire(): boolean {
    const total = this.total();
    if (total === this.#announced) return false;
    this.#announced = total;
    this.#opts.announce?.(total);
    return true;
  }
}
