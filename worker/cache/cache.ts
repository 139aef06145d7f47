import type { Logger } from "../http/logger";
import type { CacheStore, Clock } from "./store";

/** Seconds; `null` keeps the entry until evicted or forgotten. */
export type Ttl = number | null;

export interface RememberOptions {
  /** Seconds after the TTL during which the stale value is served while one refresh runs in the background. */
  staleWhileRevalidate?: number;
}

/** Stored envelope: the value and its freshness, so every driver answers alike. */
interface Envelope {
  v: unknown;
  /** Fresh until (ms since epoch), or null. */
  e: number | null;
  /** Servable-while-revalidating until (ms), or null when there is no stale window. */
  s: number | null;
}

/** Shared by every Cache view of one manager: in-flight computations, per isolate. */
export interface CacheShared {
  inflight: Map<string, Promise<unknown>>;
  clock: Clock;
  log?: Logger;
}

export interface CacheOptions {
  prefix: string;
  defaultTtl: number;
  /** Where background refreshes are kept alive; `ctx.waitUntil` in a request. */
  waitUntil?: (p: Promise<unknown>) => void;
}

type Read = { state: "fresh" | "stale"; value: unknown } | undefined;

/**
 * The cache API handlers use: get/put/forget/has, remember (single-flight,
 * optionally stale-while-revalidate), many/putMany and tags. Values travel as
 * JSON, so what comes back is what JSON.parse(JSON.stringify(value)) gives
 * (a Date comes back as its ISO string).
 */
export class Cache {
  constructor(
    readonly store: CacheStore,
    protected readonly options: CacheOptions,
    protected readonly shared: CacheShared,
  ) {}

  async get<T>(key: string): Promise<T | undefined> {
    const read = await this.#read(await this.resolveKey(key));
    return read?.state === "fresh" ? (read.value as T) : undefined;
  }

  async has(key: string): Promise<boolean> {
    return (await this.get(key)) !== undefined;
  }

  async put(key: string, value: unknown, ttl: Ttl = this.options.defaultTtl, options: RememberOptions = {}): Promise<void> {
    if (value === undefined) throw new TypeError(`Cannot cache undefined for "${key}": use forget() to remove a key.`);
    await this.#write(await this.resolveKey(key), value, ttl, options.staleWhileRevalidate ?? 0);
  }

  async forget(key: string): Promise<void> {
    await this.store.delete(await this.resolveKey(key));
  }

  async many<T>(keys: readonly string[]): Promise<Record<string, T | undefined>> {
    const values = await Promise.all(keys.map((k) => this.get<T>(k)));
    return Object.fromEntries(keys.map((k, i) => [k, values[i]]));
  }

  async putMany(entries: Record<string, unknown>, ttl: Ttl = this.options.defaultTtl): Promise<void> {
    await Promise.all(Object.entries(entries).map(([k, v]) => this.put(k, v, ttl)));
  }

  /**
   * The cached value, or `compute()` stored for `ttl` seconds. Concurrent
   * misses for one key in this isolate share one computation. With
   * `staleWhileRevalidate`, an expired value is still returned for that many
   * seconds while one refresh runs through waitUntil.
   */
  async remember<T>(key: string, ttl: Ttl, compute: () => T | Promise<T>, options: RememberOptions = {}): Promise<T> {
    const full = await this.resolveKey(key);
    const read = await this.#read(full);
    if (read?.state === "fresh") return read.value as T;
    const swr = options.staleWhileRevalidate ?? 0;
    if (read?.state === "stale") {
      const refresh = this.#singleFlight(full, compute, ttl, swr).catch((err: unknown) => {
        this.shared.log?.warn("cache refresh failed; serving stale", { key, error: err });
      });
      if (this.options.waitUntil) this.options.waitUntil(refresh);
      return read.value as T;
    }
    return this.#singleFlight(full, compute, ttl, swr);
  }

  rememberForever<T>(key: string, compute: () => T | Promise<T>): Promise<T> {
    return this.remember(key, null, compute);
  }

  /** A view whose entries all go stale together when any of `tags` is flushed. */
  tags(tags: readonly string[]): TaggedCache {
    return new TaggedCache(this.store, this.options, this.shared, tags);
  }

  /** The key as stored: the prefix, then (for tagged views) the tag versions. */
  protected async resolveKey(key: string): Promise<string> {
    return this.options.prefix + key;
  }

  #singleFlight<T>(full: string, compute: () => T | Promise<T>, ttl: Ttl, swr: number): Promise<T> {
    const id = `${this.store.name}\u0000${full}`;
    const running = this.shared.inflight.get(id);
    if (running) return running as Promise<T>;
    const p = (async () => {
      try {
        const value = await compute();
        if (value !== undefined) await this.#write(full, value, ttl, swr);
        return value;
      } finally {
        this.shared.inflight.delete(id);
      }
    })();
    this.shared.inflight.set(id, p);
    return p;
  }

  async #read(full: string): Promise<Read> {
    const stored = await this.store.get(full);
    if (!stored) return undefined;
    let env: Envelope;
    try {
      env = JSON.parse(stored.raw) as Envelope;
    } catch {
      return undefined;
    }
    const now = this.shared.clock();
    if (env.e === null || env.e > now) return { state: "fresh", value: env.v };
    if (env.s !== null && env.s > now) return { state: "stale", value: env.v };
    return undefined;
  }

  async #write(full: string, value: unknown, ttl: Ttl, swr: number): Promise<void> {
    if (ttl !== null && !(ttl > 0)) throw new RangeError(`Cache TTL must be a positive number of seconds or null, got ${ttl}.`);
    const now = this.shared.clock();
    const e = ttl === null ? null : now + ttl * 1000;
    const s = e !== null && swr > 0 ? e + swr * 1000 : null;
    const raw = JSON.stringify({ v: value, e, s } satisfies Envelope);
    await this.store.put(full, { raw, expiresAt: s ?? e });
  }
}

/**
 * Tagged entries live under keys that embed each tag's current version.
 * Flushing a tag writes a new version, so every entry under the old one
 * misses at once here and, through KV, within its propagation window
 * elsewhere; the orphaned entries expire on their own TTL. (KV has no
 * prefix delete, so versioning is the only way to drop a group at once.)
 */
export class TaggedCache extends Cache {
  readonly #tags: readonly string[];

  constructor(store: CacheStore, options: CacheOptions, shared: CacheShared, tags: readonly string[]) {
    super(store, options, shared);
    if (tags.length === 0) throw new TypeError("tags() needs at least one tag.");
    this.#tags = [...new Set(tags)].sort();
  }

  /** Makes every entry tagged with any of these tags miss. */
  async flush(): Promise<void> {
    await Promise.all(this.#tags.map((t) => this.store.put(this.#tagKey(t), { raw: crypto.randomUUID(), expiresAt: null })));
  }

  protected override async resolveKey(key: string): Promise<string> {
    const versions = await Promise.all(this.#tags.map((t) => this.#version(t)));
    return `${this.options.prefix}t:${this.#tags.map((t, i) => `${t}@${versions[i]}`).join(",")}:${key}`;
  }

  #tagKey(tag: string): string {
    return `${this.options.prefix}tag:${tag}`;
  }

  async #version(tag: string): Promise<string> {
    const key = this.#tagKey(tag);
    const hit = await this.store.get(key);
    if (hit) return hit.raw;
    // No version yet (or evicted): start one. Losing a race only makes entries miss, never go stale.
    const v = crypto.randomUUID();
    await this.store.put(key, { raw: v, expiresAt: null });
    return v;
  }
}
