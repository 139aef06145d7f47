/** What a driver holds: the serialized entry and when it may be dropped (ms since epoch; null: never). */
export interface StoredEntry {
  raw: string;
  expiresAt: number | null;
}

/**
 * A cache driver: raw string storage with expiry. Serialization, freshness,
 * tags and single-flight live above it in Cache, so every driver behaves alike.
 */
export interface CacheStore {
  readonly name: string;
  get(key: string): Promise<StoredEntry | undefined>;
  put(key: string, entry: StoredEntry): Promise<void>;
  delete(key: string): Promise<void>;
}

export type Clock = () => number;

/** A value this driver cannot hold; says which limit and by how much, instead of failing later or silently. */
export class CacheValueTooLargeError extends Error {
  constructor(readonly key: string, readonly bytes: number, readonly limit: number, readonly driver: string) {
    super(`Cache value for "${key}" is ${bytes} bytes; the ${driver} cache holds at most ${limit} bytes per value.`);
    this.name = "CacheValueTooLargeError";
  }
}

/** UTF-8 byte length without allocating for the common, clearly small case. */
export function byteLength(s: string): number {
  if (s.length * 3 < 65536) {
    let n = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      n += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdbff ? (i++, 4) : 3;
    }
    return n;
  }
  return new TextEncoder().encode(s).byteLength;
}
