import { CacheValueTooLargeError, type CacheStore, type Clock, type StoredEntry } from "../store";

export interface TieredStoreOptions {
  /**
   * Longest time, in seconds, a copy read from the shared tier stays in this
   * isolate's memory. Bounds how long another isolate's write or flush can go
   * unseen here (on top of KV's own propagation).
   */
  localTtl: number;
  clock?: Clock;
}

/**
 * Memory in front of a shared store (KV). Writes go to both; reads try memory,
 * then fill it from the shared tier. A TTL under KV's 60 s floor is exact here:
 * memory expires on time, and KV's copy carries the true expiry for others.
 */
export class TieredStore implements CacheStore {
  readonly name = "tiered";
  readonly #local: CacheStore;
  readonly #shared: CacheStore;
  readonly #localTtlMs: number;
  readonly #clock: Clock;

  constructor(local: CacheStore, shared: CacheStore, options: TieredStoreOptions) {
    this.#local = local;
    this.#shared = shared;
    this.#localTtlMs = options.localTtl * 1000;
    this.#clock = options.clock ?? Date.now;
  }

  async get(key: string): Promise<StoredEntry | undefined> {
    const hit = await this.#local.get(key);
    if (hit) return hit;
    const shared = await this.#shared.get(key);
    if (shared) await this.#fill(key, shared, this.#clock() + this.#localTtlMs);
    return shared;
  }

  async put(key: string, entry: StoredEntry): Promise<void> {
    // Shared first: if KV rejects the value, memory must not pretend it was stored.
    await this.#shared.put(key, entry);
    // Capped like a read: another isolate may overwrite or flush this key, and memory must not outlive that.
    await this.#fill(key, entry, this.#clock() + this.#localTtlMs);
  }

  async delete(key: string): Promise<void> {
    await Promise.all([this.#local.delete(key), this.#shared.delete(key)]);
  }

  async #fill(key: string, entry: StoredEntry, until: number): Promise<void> {
    const cap = Math.min(entry.expiresAt ?? Number.POSITIVE_INFINITY, until);
    try {
      await this.#local.put(key, { raw: entry.raw, expiresAt: Number.isFinite(cap) ? cap : null });
    } catch (err) {
      // Too big for memory but fine for KV: serve it from KV only.
      if (!(err instanceof CacheValueTooLargeError)) throw err;
    }
  }
}
