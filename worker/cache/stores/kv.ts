import { byteLength, CacheValueTooLargeError, type CacheStore, type Clock, type StoredEntry } from "../store";

/** KV's floor for expirationTtl, in seconds. */
export const KV_MIN_TTL = 60;
/** KV's largest value: 25 MiB. */
export const KV_MAX_VALUE_BYTES = 25 * 1024 * 1024;
/** KV's longest key, in bytes. */
export const KV_MAX_KEY_BYTES = 512;

interface Meta {
  /** The real expiry: KV cannot expire sooner than 60 s, so reads check this themselves. */
  x: number | null;
}

/**
 * Workers KV. Eventually consistent: a write is visible at once in the
 * location that wrote it and within about 60 s elsewhere. Short TTLs are kept
 * honest by storing KV's 60 s floor and the true expiry beside the value,
 * checked on every read.
 */
export class KvStore implements CacheStore {
  readonly name = "kv";
  readonly #kv: KVNamespace;
  readonly #clock: Clock;

  constructor(kv: KVNamespace, options: { clock?: Clock } = {}) {
    this.#kv = kv;
    this.#clock = options.clock ?? Date.now;
  }

  async get(key: string): Promise<StoredEntry | undefined> {
    const { value, metadata } = await this.#kv.getWithMetadata<Meta>(await kvKey(key), "text");
    if (value === null) return undefined;
    const expiresAt = metadata?.x ?? null;
    if (expiresAt !== null && expiresAt <= this.#clock()) return undefined;
    return { raw: value, expiresAt };
  }

  async put(key: string, entry: StoredEntry): Promise<void> {
    const bytes = byteLength(entry.raw);
    if (bytes > KV_MAX_VALUE_BYTES) throw new CacheValueTooLargeError(key, bytes, KV_MAX_VALUE_BYTES, "KV");
    const options: KVNamespacePutOptions = { metadata: { x: entry.expiresAt } satisfies Meta };
    if (entry.expiresAt !== null) {
      const seconds = Math.ceil((entry.expiresAt - this.#clock()) / 1000);
      options.expirationTtl = Math.max(KV_MIN_TTL, seconds);
    }
    await this.#kv.put(await kvKey(key), entry.raw, options);
  }

  async delete(key: string): Promise<void> {
    await this.#kv.delete(await kvKey(key));
  }
}

/** Keys past KV's 512-byte limit are replaced by a SHA-256 of themselves rather than rejected. */
async function kvKey(key: string): Promise<string> {
  if (byteLength(key) <= KV_MAX_KEY_BYTES) return key;
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key));
  const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${key.slice(0, 64)}…sha256:${hex}`;
}
