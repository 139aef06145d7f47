/** `stratus/cache`: CacheManager and its stores (memory, KV, Cache API, tiered), tags, HTTP caching middleware. */
export { Cache, TaggedCache, type Ttl, type RememberOptions } from "./cache";
export { CacheManager } from "./manager";
export { CacheValueTooLargeError, type CacheStore, type StoredEntry } from "./store";
export { MemoryStore } from "./stores/memory";
export { KvStore, KV_MIN_TTL, KV_MAX_VALUE_BYTES } from "./stores/kv";
export { CacheApiStore } from "./stores/cache-api";
export { TieredStore } from "./stores/tiered";
export { etag } from "./http/etag";
export { cacheControl, type CacheControlOptions } from "./http/cache-control";
export { responseCache, type ResponseCacheOptions } from "./http/response-cache";
export { cacheProvider } from "./provider";
export { CACHE, CACHE_MANAGER } from "./tokens";
