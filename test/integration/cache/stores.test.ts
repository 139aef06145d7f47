import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { CacheValueTooLargeError } from "../../../worker/cache/store";
import { KV_MAX_VALUE_BYTES, KvStore } from "../../../worker/cache/stores/kv";
import { MemoryStore } from "../../../worker/cache/stores/memory";
import { testCache } from "../../support/cache";

describe("MemoryStore", () => {
  it("evicts the least recently used entry past the entry cap", async () => {
    const m = new MemoryStore({ maxEntries: 3, maxBytes: 1 << 20 });
    for (const k of ["a", "b", "c"]) await m.put(k, { raw: k, expiresAt: null });
    await m.get("a"); // a is now the most recent
    await m.put("d", { raw: "d", expiresAt: null });
    expect(m.size).toBe(3);
    expect(await m.get("b")).toBeUndefined();
    expect((await m.get("a"))?.raw).toBe("a");
  });

  it("evicts by bytes and refuses a value larger than the whole cap", async () => {
    const m = new MemoryStore({ maxEntries: 100, maxBytes: 1000 });
    for (let i = 0; i < 5; i++) await m.put(`k${i}`, { raw: "x".repeat(150), expiresAt: null });
    expect(m.bytes).toBeLessThanOrEqual(1000);
    expect(m.size).toBe(3);
    expect(await m.get("k0")).toBeUndefined();
    await expect(m.put("huge", { raw: "x".repeat(600), expiresAt: null })).rejects.toBeInstanceOf(CacheValueTooLargeError);
    await m.put("k4", { raw: "y", expiresAt: null });
    expect(m.bytes).toBe((2 + 1) * 2 + 2 * (2 + 150) * 2);
  });
});

describe("KvStore", () => {
  it("stores a 5 s TTL with KV's 60 s floor and the true expiry beside it", async () => {
    const now = Date.now();
    const store = new KvStore(env.CACHE, { clock: () => now });
    await store.put("kv-short", { raw: "v", expiresAt: now + 5000 });
    const listed = await env.CACHE.list({ prefix: "kv-short" });
    expect(listed.keys[0]?.expiration).toBeGreaterThanOrEqual(Math.floor(now / 1000) + 59);
    expect((await env.CACHE.getWithMetadata("kv-short")).metadata).toEqual({ x: now + 5000 });
    expect((await store.get("kv-short"))?.raw).toBe("v");
    const later = new KvStore(env.CACHE, { clock: () => now + 5001 });
    expect(await later.get("kv-short")).toBeUndefined();
  });

  it("refuses a value over 25 MiB with a clear error and stores one at the limit's edge", async () => {
    const store = new KvStore(env.CACHE);
    const err = await store.put("big", { raw: "x".repeat(KV_MAX_VALUE_BYTES + 1), expiresAt: null }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CacheValueTooLargeError);
    expect((err as Error).message).toMatch(/26214401 bytes; the KV cache holds at most 26214400/);
    expect(await env.CACHE.get("big")).toBeNull();
    const { manager } = testCache();
    await expect(manager.store("tiered").put("big", "x".repeat(KV_MAX_VALUE_BYTES))).rejects.toBeInstanceOf(CacheValueTooLargeError);
    expect(await manager.store("tiered").get("big")).toBeUndefined();
  });

  it("hashes keys longer than KV's 512 bytes instead of failing", async () => {
    const store = new KvStore(env.CACHE);
    const long = "k".repeat(600);
    await store.put(long, { raw: "v", expiresAt: null });
    expect((await store.get(long))?.raw).toBe("v");
    await store.delete(long);
    expect(await store.get(long)).toBeUndefined();
  });
});

describe("TieredStore", () => {
  it("serves from memory without touching KV, and refills memory from KV", async () => {
    const { manager, config } = testCache();
    const cache = manager.store("tiered");
    await cache.put("t", "v", 300);
    await env.CACHE.delete(`${config.prefix}t`);
    expect(await cache.get("t")).toBe("v");
    const other = testCache({ CACHE_PREFIX: config.prefix }).manager.store("tiered");
    await other.put("t2", "w", 300);
    expect(await manager.store("kv").get("t2")).toBe("w");
    expect(await cache.get("t2")).toBe("w");
  });

  it("a flush in one isolate reaches another once its local copy ages out (localTtl)", async () => {
    const a = testCache({ CACHE_LOCAL_TTL: "10" });
    const b = testCache({ CACHE_PREFIX: a.config.prefix, CACHE_LOCAL_TTL: "10" });
    b.clock.now = a.clock.now;
    await a.manager.store("tiered").tags(["news"]).put("front", "old", 600);
    expect(await b.manager.store("tiered").tags(["news"]).get("front")).toBe("old");
    await a.manager.store("tiered").tags(["news"]).flush();
    expect(await a.manager.store("tiered").tags(["news"]).get("front")).toBeUndefined();
    // Isolate b still holds its copy of the tag version until localTtl passes: the documented window.
    expect(await b.manager.store("tiered").tags(["news"]).get("front")).toBe("old");
    b.advance(11);
    expect(await b.manager.store("tiered").tags(["news"]).get("front")).toBeUndefined();
  });
});
