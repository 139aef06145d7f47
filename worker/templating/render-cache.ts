import type { RenderFrame } from "../../durable-objects/realtime/protocol";
import type { CacheStore, Clock } from "../cache/store";
import type { MountAddress, RenderSource } from "./render-source";

/**
 * Hot page renders: a mount's server render served from a cache, so page
 * views of a popular component do not call its root once each.
 *
 * Two kinds of entry. A render at `(component, key, epoch, seq)` never changes
 * (a seq names one state of one log), so it is kept long and shared by every
 * isolate. The head pointer `(component, key) → (epoch, seq, confirmedAt)` is
 * the mutable part: `confirmedAt` is when the Worker asked the root, stamped
 * before the call, so the root's answer was its head at some instant at or
 * after it.
 *
 * Freshness contract: a page view at time t shows a render whose (epoch, seq)
 * was the root's head at some instant in [t − maxStaleMs, t]. So once the root
 * has committed a newer head at time p, no view at t ≥ p + maxStaleMs shows an
 * older seq of that epoch (nor an old epoch's render after an epoch change).
 * The client resumes from the shown seq over its socket, so it catches up at
 * once either way. Load: at most one root call per (component, key) per
 * refresh window per isolate (concurrent misses share one call), and none
 * while the pointer is fresh, in any isolate that shares the store.
 */
export interface RenderCacheOptions {
  store: CacheStore;
  /** How old a confirmed head may be when a view shows it (default 1000 ms). */
  maxStaleMs?: number;
  /** How long an immutable render is kept (default 1 hour; the store may evict sooner). */
  keepMs?: number;
  clock?: Clock;
}

/** Scopes whose latest refresh an isolate keeps in memory. */
const RECENT_SCOPES = 512;

interface Pointer {
  epoch: string;
  seq: number;
  confirmedAt: number;
}

export class RenderCache implements RenderSource {
  readonly #store: CacheStore;
  readonly #maxStale: number;
  readonly #keep: number;
  readonly #clock: Clock;
  readonly #inflight = new Map<string, Promise<RenderFrame>>();
  /**
   * This isolate's latest refresh per scope. A view whose store read began before a refresh
   * finished misses in the store yet must not call the root again: it finds the answer here.
   */
  readonly #recent = new Map<string, { confirmedAt: number; frame: RenderFrame }>();
  /** Root calls made (for tests and metrics). */
  loads = 0;

  constructor(options: RenderCacheOptions) {
    this.#store = options.store;
    this.#maxStale = options.maxStaleMs ?? 1000;
    this.#keep = options.keepMs ?? 3_600_000;
    this.#clock = options.clock ?? Date.now;
    if (!(this.#maxStale > 0)) throw new RangeError(`maxStaleMs must be positive, got ${this.#maxStale}`);
  }

  /** The render to show for (component, key): from the cache while its head is fresh, else from `load` (the root). */
  async get(component: string, key: string, load: () => Promise<RenderFrame>): Promise<RenderFrame> {
    const id = scope(component, key);
    const now = this.#clock();
    const pointer = await this.#pointer(id);
    if (pointer && now - pointer.confirmedAt < this.#maxStale && now >= pointer.confirmedAt) {
      const frame = await this.#render(id, pointer);
      if (frame) return frame;
    }
    const recent = this.#recent.get(id);
    if (recent && now - recent.confirmedAt < this.#maxStale && now >= recent.confirmedAt) return recent.frame;
    const pending = this.#inflight.get(id);
    if (pending) return pending;
    const run = this.#refresh(id, load).finally(() => this.#inflight.delete(id));
    this.#inflight.set(id, run);
    return run;
  }

  render(mount: MountAddress, load: () => Promise<RenderFrame>): Promise<RenderFrame> {
    return this.get(mount.component, mount.key, load);
  }

  async #refresh(id: string, load: () => Promise<RenderFrame>): Promise<RenderFrame> {
    const confirmedAt = this.#clock();
    this.loads++;
    const frame = await load();
    const pointer: Pointer = { epoch: frame.epoch, seq: frame.seq, confirmedAt };
    // The render first: a pointer never names a render the store has not been given.
    await this.#store.put(`${id}@${frame.epoch}:${frame.seq}`, { raw: JSON.stringify(frame), expiresAt: confirmedAt + this.#keep });
    await this.#store.put(`${id}#head`, { raw: JSON.stringify(pointer), expiresAt: confirmedAt + this.#maxStale });
    this.#remember(id, confirmedAt, frame);
    return frame;
  }

  #remember(id: string, confirmedAt: number, frame: RenderFrame): void {
    this.#recent.delete(id);
    this.#recent.set(id, { confirmedAt, frame });
    // Insertion order is recency: past the bound, the scope refreshed longest ago goes.
    if (this.#recent.size > RECENT_SCOPES) this.#recent.delete(this.#recent.keys().next().value!);
  }

  async #pointer(id: string): Promise<Pointer | undefined> {
    const entry = await this.#store.get(`${id}#head`);
    return entry ? (parse(entry.raw) as Pointer | undefined) : undefined;
  }

  async #render(id: string, p: Pointer): Promise<RenderFrame | undefined> {
    const entry = await this.#store.get(`${id}@${p.epoch}:${p.seq}`);
    const frame = entry ? (parse(entry.raw) as RenderFrame | undefined) : undefined;
    // Only the render the pointer names: a mismatched entry (a foreign write) is a miss.
    return frame?.type === "render" && frame.epoch === p.epoch && frame.seq === p.seq ? frame : undefined;
  }
}

/** Unambiguous whatever the names hold. */
function scope(component: string, key: string): string {
  return `stratus:render:${component.length}:${component}:${key}`;
}

function parse(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}
