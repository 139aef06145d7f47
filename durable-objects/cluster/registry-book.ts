/**
 * The registry's bookkeeping, with no platform types: the latest heartbeat of
 * each relay of one component instance, judged by age. A relay that missed
 * its beats is `suspect` (still routed to, last), then dropped. Time is passed
 * in, so the alarm and the tests decide what "now" is.
 */
import type { RelayHeartbeat, RelayRoute, RoutingMap } from "./contracts";

export interface RegistryTimings {
  /** How often relays beat, in ms. */
  heartbeatMs: number;
  /** Missed beats after which a relay is suspect (default 2). */
  suspectAfter?: number;
  /** Missed beats after which it is dropped (default 4). */
  dropAfter?: number;
}

export class RegistryBook {
  readonly #beats = new Map<string, RelayHeartbeat>();
  readonly #suspectMs: number;
  readonly #dropMs: number;

  constructor(timings: RegistryTimings, beats: Iterable<RelayHeartbeat> = []) {
    this.#suspectMs = timings.heartbeatMs * (timings.suspectAfter ?? 2);
    this.#dropMs = timings.heartbeatMs * (timings.dropAfter ?? 4);
    for (const b of beats) this.#beats.set(b.relay, b);
  }

  get size(): number {
    return this.#beats.size;
  }

  /** Keeps the newer of two beats of a relay (beats can cross on the way). */
  beat(b: RelayHeartbeat): boolean {
    const prev = this.#beats.get(b.relay);
    if (prev && prev.at > b.at) return false;
    this.#beats.set(b.relay, b);
    return true;
  }

  forget(relay: string): boolean {
    return this.#beats.delete(relay);
  }

  /** Relays silent past the drop window: removed here, returned so their sockets can be closed. */
  expire(now: number): RelayHeartbeat[] {
    const dropped: RelayHeartbeat[] = [];
    for (const b of this.#beats.values()) if (now - b.at >= this.#dropMs) dropped.push(b);
    for (const b of dropped) this.#beats.delete(b.relay);
    return dropped;
  }

  routes(component: string, key: string, now: number): RoutingMap {
    const relays: RelayRoute[] = [];
    for (const b of this.#beats.values()) {
      if (now - b.at >= this.#dropMs || b.kind === "hub") continue;
      relays.push({ relay: b.relay, sockets: b.sockets, capacity: b.capacity, ...(b.location ? { location: b.location } : {}), state: now - b.at >= this.#suspectMs ? "suspect" : "live" });
    }
    return { component, key, relays, at: now };
  }

  /** When the next relay turns suspect or due for dropping: the alarm's next time (undefined with no relays). */
  nextCheck(): number | undefined {
    let next: number | undefined;
    for (const b of this.#beats.values()) {
      const t = b.at + this.#dropMs;
      next = next === undefined ? t : Math.min(next, t);
    }
    return next;
  }
}
