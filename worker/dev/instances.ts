/**
 * The live component instances this isolate has routed a socket to, most recent last. In memory:
 * the dashboard is a development tool, and `wrangler dev` runs one isolate, so this is all of them.
 * Bounded, so a long session never grows it without end.
 */
export class SeenInstances {
  readonly #limit: number;
  /** `component\u0000key` → last connect time (ms); Map order is insertion order, so re-adding moves it last. */
  readonly #seen = new Map<string, number>();

  constructor(limit = 200) {
    this.#limit = limit;
  }

  record(component: string, key: string, at = Date.now()): void {
    const id = `${component}\u0000${key}`;
    this.#seen.delete(id);
    this.#seen.set(id, at);
    if (this.#seen.size > this.#limit) this.#seen.delete(this.#seen.keys().next().value!);
  }

  /** Newest first. */
  list(): { component: string; key: string; lastConnectAt: number }[] {
    return [...this.#seen].reverse().map(([id, lastConnectAt]) => {
      const [component, key] = id.split("\u0000") as [string, string];
      return { component, key, lastConnectAt };
    });
  }
}

export const seenInstances = new SeenInstances();
