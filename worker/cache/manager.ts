import type { AppConfig } from "../config";
import type { CacheDriver } from "../config/cache";
import type { Logger } from "../http/logger";
import { Cache, type CacheShared } from "./cache";
import type { CacheStore, Clock } from "./store";
import { CacheApiStore } from "./stores/cache-api";
import { KvStore } from "./stores/kv";
import { MemoryStore } from "./stores/memory";
import { TieredStore } from "./stores/tiered";

export interface CacheManagerOptions {
  config: AppConfig["cache"];
  /** The Worker env, for the KV binding. */
  env: Record<string, unknown>;
  log?: Logger;
  /** Time source (ms); tests pass a controllable one. */
  clock?: Clock;
}

/**
 * One per isolate: builds each driver once, on first use, and hands out Cache
 * views bound to a request's waitUntil. Memory state and in-flight
 * computations are per isolate by nature.
 */
export class CacheManager {
  readonly #config: AppConfig["cache"];
  readonly #env: Record<string, unknown>;
  readonly #stores = new Map<CacheDriver, CacheStore>();
  readonly #shared: CacheShared;

  constructor(options: CacheManagerOptions) {
    this.#config = options.config;
    this.#env = options.env;
    this.#shared = { inflight: new Map(), clock: options.clock ?? Date.now, ...(options.log ? { log: options.log } : {}) };
  }

  get defaultDriver(): CacheDriver {
    return this.#config.driver;
  }

  /** A Cache on `driver` (default: the configured one); pass `ctx` so stale refreshes outlive the response. */
  store(driver: CacheDriver = this.#config.driver, ctx?: Pick<ExecutionContext, "waitUntil">): Cache {
    return new Cache(
      this.#store(driver),
      { prefix: this.#config.prefix, defaultTtl: this.#config.ttl, ...(ctx ? { waitUntil: (p) => ctx.waitUntil(p) } : {}) },
      this.#shared,
    );
  }

  #store(driver: CacheDriver): CacheStore {
    let store = this.#stores.get(driver);
    if (!store) {
      store = this.#build(driver);
      this.#stores.set(driver, store);
    }
    return store;
  }

  #build(driver: CacheDriver): CacheStore {
    const clock = this.#shared.clock;
    switch (driver) {
      case "memory":
        return new MemoryStore({ ...this.#config.memory, clock });
      case "kv":
        return new KvStore(this.#kv(), { clock });
      case "cache-api":
        return new CacheApiStore({ clock });
      case "tiered":
        // Its own memory tier: sharing the memory driver's would mix entries KV never saw.
        return new TieredStore(new MemoryStore({ ...this.#config.memory, clock }), this.#store("kv"), { localTtl: this.#config.tiered.localTtl, clock });
    }
  }

  #kv(): KVNamespace {
    const kv = this.#env[this.#config.kv.binding] as KVNamespace | undefined;
    if (!kv) throw new Error(`Missing KV binding ${this.#config.kv.binding} for the cache: declare it in wrangler.toml.`);
    return kv;
  }
}
