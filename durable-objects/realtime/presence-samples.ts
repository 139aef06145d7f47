/**
 * Who joined and left since the last time someone asked, as capped samples.
 * Shared by the presence frames an object sends its own viewers and the
 * reports a relay sends its root: both carry an exact count, and these
 * samples only so that small rooms can still show names. A viewer that came
 * and went between two takes is never sampled.
 */
import type { PresenceEntry } from "./protocol";

export const MAX_PRESENCE_SAMPLES = 32;

export class PresenceSamples {
  /** Joined since the last take and still here. */
  readonly #joins = new Map<string, PresenceEntry>();
  readonly #leaves = new Set<string>();

  get empty(): boolean {
    return this.#joins.size === 0 && this.#leaves.size === 0;
  }

  join(entry: PresenceEntry): void {
    this.#leaves.delete(entry.id);
    this.#joins.set(entry.id, entry);
  }

  leave(id: string): void {
    if (!this.#joins.delete(id)) this.#leaves.add(id);
  }

  /** Up to `max` of each, oldest first; forgets everything (the rest were only samples). */
  take(max: number): { joins: PresenceEntry[]; leaves: string[] } {
    const out = { joins: first(this.#joins.values(), max), leaves: first(this.#leaves.values(), max) };
    this.#joins.clear();
    this.#leaves.clear();
    return out;
  }
}

function first<T>(items: Iterable<T>, max: number): T[] {
  const out: T[] = [];
  for (const x of items) {
    if (out.length >= max) break;
    out.push(x);
  }
  return out;
}
