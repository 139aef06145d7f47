/**
 * A relay's side of presence across the tree. The relay is the only writer of
 * its own viewers' presence: it tells the reporter who joined and left, and
 * polls it from its own timer or alarm; the reporter batches those into at
 * most one `RelayPresenceReport` per interval (so a join storm costs one call
 * to the root, not one per viewer) and a keepalive when nothing changes (so
 * the root can expire a relay that went silent). No timers, no I/O of its
 * own: the clock and the send are injected, which keeps it testable and lets
 * the relay decide how it wakes.
 */
import { MAX_PRESENCE_SAMPLES, PresenceSamples } from "../realtime/presence-samples";
import type { PresenceEntry } from "../realtime/protocol";
import type { RelayPresenceReport } from "./contracts";

export interface PresenceReporterOptions {
  /** The relay's object name: the key the root aggregates under. */
  relay: string;
  /** Delivers one report to the root (for example `root.receivePresence(report)`). A rejection is retried on a later poll. */
  send(report: RelayPresenceReport): void | Promise<unknown>;
  now?: () => number;
  /** At most one report per this many ms (default 1500). */
  intervalMs?: number;
  /** A report even when nothing changed, this often (default 10 000); keep it well under the root's TTL. */
  keepaliveMs?: number;
  /** Join and leave samples per report, each (default 32); the count is always exact. */
  maxSamples?: number;
  /** Viewers already attached when the reporter starts (a relay woken from hibernation counts its sockets). */
  count?: number;
}

export const PRESENCE_INTERVAL_MS = 1500;
export const PRESENCE_KEEPALIVE_MS = 10_000;

export class PresenceReporter {
  readonly #relay: string;
  readonly #send: PresenceReporterOptions["send"];
  readonly #now: () => number;
  readonly #interval: number;
  readonly #keepalive: number;
  readonly #maxSamples: number;
  #count: number;
  readonly #samples = new PresenceSamples();
  #dirty: boolean;
  #version = 0;
  #sentAt = Number.NEGATIVE_INFINITY;
  #sending = false;

  constructor(options: PresenceReporterOptions) {
    this.#relay = options.relay;
    this.#send = options.send;
    this.#now = options.now ?? Date.now;
    this.#interval = options.intervalMs ?? PRESENCE_INTERVAL_MS;
    this.#keepalive = options.keepaliveMs ?? PRESENCE_KEEPALIVE_MS;
    this.#maxSamples = options.maxSamples ?? MAX_PRESENCE_SAMPLES;
    if (!(this.#interval > 0) || !(this.#keepalive >= this.#interval)) throw new RangeError("presence keepaliveMs must be at least intervalMs, and both positive");
    this.#count = Math.max(0, options.count ?? 0);
    // A fresh reporter (a relay just created or woken) reports its count at once.
    this.#dirty = true;
  }

  get count(): number {
    return this.#count;
  }

  join(entry: PresenceEntry): void {
    this.#count++;
    this.#samples.join(entry);
    this.#dirty = true;
  }

  leave(id: string): void {
    this.#count = Math.max(0, this.#count - 1);
    this.#samples.leave(id);
    this.#dirty = true;
  }

  /** Sets the count from the relay's own sockets (after a wake, or a sweep), when it may have drifted. */
  resync(count: number): void {
    if (count === this.#count) return;
    this.#count = Math.max(0, count);
    this.#dirty = true;
  }

  /** When the relay should poll next (ms since the epoch): the next report that is due, or the keepalive. */
  nextAt(): number {
    return this.#sentAt + (this.#dirty ? this.#interval : this.#keepalive);
  }

  /** Sends a report when one is due; resolves true when it sent one. Never rejects. */
  async poll(): Promise<boolean> {
    const now = this.#now();
    if (this.#sending || now < this.nextAt()) return false;
    return this.#flush(now);
  }

  /** Sends now, whatever the interval (a relay about to go away reports its last count). */
  flush(): Promise<boolean> {
    return this.#flush(this.#now());
  }

  async #flush(now: number): Promise<boolean> {
    // Versions follow the clock (and always grow), so a relay object that restarted with a fresh
    // reporter still outranks the reports its earlier incarnation sent.
    this.#version = Math.max(this.#version + 1, now);
    const report: RelayPresenceReport = {
      relay: this.#relay,
      version: this.#version,
      count: this.#count,
      ...this.#samples.take(this.#maxSamples),
      at: now,
    };
    this.#dirty = false;
    this.#sentAt = now;
    this.#sending = true;
    try {
      await this.#send(report);
      return true;
    } catch (err) {
      // The samples are lost (they are only samples); the count goes again on the next poll.
      this.#dirty = true;
      console.error("presence report failed", err);
      return false;
    } finally {
      this.#sending = false;
    }
  }
}
