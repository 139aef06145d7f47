import type { CacheStore, Clock, StoredEntry } from "../store";

const ORIGIN = "https://cache.stratus.internal/";
const EXPIRES = "x-stratus-expires";

/**
 * The data center's HTTP cache (`caches.default`), used as a key-value store.
 * Local to one location and evictable at any time; free and fast. It does
 * nothing on workers.dev subdomains, only on zones you own.
 */
export class CacheApiStore implements CacheStore {
  readonly name = "cache-api";
  readonly #clock: Clock;
  #cache: Cache | undefined;

  constructor(options: { cache?: Cache; clock?: Clock } = {}) {
    this.#cache = options.cache;
    this.#clock = options.clock ?? Date.now;
  }

  get #c(): Cache {
    return (this.#cache ??= caches.default);
  }

  async get(key: string): Promise<StoredEntry | undefined> {
    const res = await this.#c.match(url(key));
    if (!res) return undefined;
    const header = res.headers.get(EXPIRES);
    const expiresAt = header ? Number(header) : null;
    if (expiresAt !== null && expiresAt <= this.#clock()) {
      await res.body?.cancel();
      return undefined;
    }
    return { raw: await res.text(), expiresAt };
  }

  async put(key: string, entry: StoredEntry): Promise<void> {
    // The Cache API needs a max-age to keep anything; "forever" becomes a year, and it may evict sooner.
    const seconds = entry.expiresAt === null ? 31_536_000 : Math.max(1, Math.ceil((entry.expiresAt - this.#clock()) / 1000));
    const headers = new Headers({ "content-type": "application/json", "cache-control": `max-age=${seconds}` });
    if (entry.expiresAt !== null) headers.set(EXPIRES, String(entry.expiresAt));
    await this.#c.put(url(key), new Response(entry.raw, { headers }));
  }

  async delete(key: string): Promise<void> {
    await this.#c.delete(url(key));
  }
}

function url(key: string): string {
  return ORIGIN + encodeURIComponent(key);
}
