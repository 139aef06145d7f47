/**
 * Simulated time for the cluster simulation: a seeded random source and an
 * event queue. Nothing reads the wall clock, so a run is a pure function of
 * its seed and parameters, and a failing seed replays exactly.
 */

/** mulberry32: small, fast, and good enough for latencies and coin flips. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Event {
  at: number;
  /** Insertion order breaks ties, so equal times run first-scheduled first. */
  n: number;
  run: () => void;
  /** It settles promises: their callbacks run before the next event (others skip the drain, which is most of a run's cost). */
  settles: boolean;
}

/** A binary min-heap of events by time: a million viewers' pending frames fit without sorting. */
export class Clock {
  #heap: Event[] = [];
  #n = 0;
  now = 0;

  at(time: number, run: () => void, settles = false): void {
    this.#insert({ at: Math.max(time, this.now), n: this.#n++, run, settles });
  }

  #insert(e: Event): void {
    const h = this.#heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  after(delay: number, run: () => void, settles = false): void {
    this.at(this.now + delay, run, settles);
  }

  #pop(): Event | undefined {
    const h = this.#heap;
    const top = h[0];
    const last = h.pop();
    if (top === undefined || last === undefined || h.length === 0) return top;
    h[0] = last;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && before(h[l]!, h[m]!)) m = l;
      if (r < h.length && before(h[r]!, h[m]!)) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
    return top;
  }

  /**
   * Runs events in time order until none is left, `until` passes, or `done` holds. The real
   * sequencer settles fetch answers through promises, so microtasks drain after an event that
   * settles one: they belong to the instant of the event that resolved them.
   */
  async run(until: number, done: () => boolean = () => false): Promise<void> {
    for (let e = this.#pop(); e !== undefined; e = this.#pop()) {
      if (e.at > until) {
        this.#insert(e); // leave it queued: the run stopped at `until`
        break;
      }
      this.now = e.at;
      e.run();
      if (e.settles) await new Promise<void>((resolve) => setImmediate(resolve)); // every microtask chain it started runs first
      if (done()) break;
    }
  }
}

function before(a: Event, b: Event): boolean {
  return a.at < b.at || (a.at === b.at && a.n < b.n);
}
