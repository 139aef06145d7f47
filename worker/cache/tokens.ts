import { token } from "../app/token";
import type { Cache } from "./cache";
import type { CacheManager } from "./manager";

/** Isolate-wide: drivers, memory tier, in-flight computations. */
export const CACHE_MANAGER = token<CacheManager>("cacheManager");
/** Request-scoped: the default store, with background refreshes kept alive by this request's waitUntil. */
export const CACHE = token<Cache>("cache");
