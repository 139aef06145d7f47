import type { Usage } from "./types";

export interface CachedInference {
  output: unknown;
  model: string;
  provider: string;
  usage?: Usage;
}

/** Where cached outputs live; KV in production. Kept tiny so the cache area's CacheManager can stand behind it. */
export interface AiCacheStore {
  get(key: string): Promise<CachedInference | null>;
  put(key: string, value: CachedInference, ttlSeconds: number): Promise<void>;
}

// KV rejects expirations shorter than a minute.
const KV_MIN_TTL = 60;

export class KvAiCache implements AiCacheStore {
  constructor(readonly kv: KVNamespace, readonly prefix: string) {}

  get(key: string): Promise<CachedInference | null> {
    return this.kv.get<CachedInference>(this.prefix + key, "json");
  }

  put(key: string, value: CachedInference, ttlSeconds: number): Promise<void> {
    return this.kv.put(this.prefix + key, JSON.stringify(value), { expirationTtl: Math.max(KV_MIN_TTL, Math.ceil(ttlSeconds)) });
  }
}

/** SHA-256 over a canonical JSON form (sorted keys), so equal requests share a key whatever their key order. */
export async function cacheKey(parts: unknown): Promise<string> {
  const bytes = new TextEncoder().encode(canonicalJson(parts));
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}
