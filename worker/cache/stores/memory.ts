import { byteLength, CacheValueTooLargeError, type CacheStore, type Clock, type StoredEntry } from "../store";

export interface MemoryStoreOptions {
  maxEntries: number;
  maxBytes: number;
  clock?: Clock;
}

interface Slot extends StoredEntry {
  bytes: number;
}

/**
 * Per-isolate LRU bounded by entry count and by bytes. An isolate serves many
 * requests but can be dropped at any time, so this is a speed tier, never the
 * only copy of anything that matters.
 */
export class MemoryStore implements CacheStore {
  readonly name = "memory";
  readonly #map = new Map<string, Slot>();
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  readonly #clock: Clock;
  #bytes = 0;

  constructor(options: MemoryStoreOptions) {
    this.#maxEntries = options.maxEntries;
    this.#maxBytes = options.maxBytes;
    this.#clock = options.clock ?? Date.now;
  }

  get size(): number { return this.#map.size; }
  get bytes(): number { return this.#bytes; }

  async get(key: string): Promise<StoredEntry | undefined> {
    const slot = this.#map.get(key);
    if (!slot) return undefined;
    if (slot.expiresAt !== null && slot.expiresAt <= this.#clock()) {
      this.#remove(key, slot);
      return undefined;
    }
    // Re-insert: Map keeps insertion order, so the first key is always the least recently used.
    this.#map.delete(key);
    this.#map.set(key, slot);
    return { raw: slot.raw, expiresAt: slot.expiresAt };
  }

  async put(key: string, entry: StoredEntry): Promise<void> {
    // UTF-16 in the heap: two bytes a code unit is the honest cost of holding the string.
    const bytes = (key.length + entry.raw.length) * 2;
    if (bytes > this.#maxBytes) throw new CacheValueTooLargeError(key, byteLength(entry.raw), this.#maxBytes, "memory");
    const old = this.#map.get(key);
    if (old) this.#remove(key, old);
    this.#map.set(key, { ...entry, bytes });
    this.#bytes += bytes;
    while (this.#map.size > this.#maxEntries || this.#bytes > this.#maxBytes) {
      const oldest = this.#map.keys().next();
      if (oldest.done) break;
      this.#remove(oldest.value, this.#map.get(oldest.value)!);
    }
  }

  async delete(key: string): Promise<void> {
    const slot = this.#map.get(key);
    if (slot) this.#remove(key, slot);
  }

  clear(): void {
    this.#map.clear();
    this.#bytes = 0;
  }

  #remove(key: string, slot: Slot): void {
    this.#map.delete(key);
    this.#bytes -= slot.bytes;
  }
}
