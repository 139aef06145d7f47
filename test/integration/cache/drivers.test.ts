import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { CacheDriver } from "../../../worker/config/cache";
import { testCache } from "../../support/cache";

const drivers: CacheDriver[] = ["memory", "kv", "cache-api", "tiered"];

describe.each(drivers)("Cache on the %s driver", (driver) => {
  it("put, get, has, forget", async () => {
    const { manager } = testCache();
    const cache = manager.store(driver);
    expect(await cache.get("k")).toBeUndefined();
    await cache.put("k", { a: [1, 2], when: new Date(0) });
    expect(await cache.get("k")).toEqual({ a: [1, 2], when: "1970-01-01T00:00:00.000Z" });
    expect(await cache.has("k")).toBe(true);
    await cache.put("zero", 0);
    expect(await cache.has("zero")).toBe(true);
    await cache.forget("k");
    expect(await cache.get("k")).toBeUndefined();
    expect(await cache.has("k")).toBe(false);
    await expect(cache.put("u", undefined)).rejects.toThrow(/undefined/);
    await expect(cache.put("neg", 1, -5)).rejects.toThrow(RangeError);
  });

  it("expires on its TTL, including TTLs under KV's 60 s floor", async () => {
    const { manager, advance } = testCache();
    const cache = manager.store(driver);
    await cache.put("short", "v", 5);
    await cache.put("forever", "f", null);
    advance(4);
    expect(await cache.get("short")).toBe("v");
    advance(2);
    expect(await cache.get("short")).toBeUndefined();
    advance(86_400);
    expect(await cache.get("forever")).toBe("f");
  });

  it("many and putMany", async () => {
    const { manager } = testCache();
    const cache = manager.store(driver);
    await cache.putMany({ a: 1, b: "two" }, 60);
    expect(await cache.many(["a", "b", "c"])).toEqual({ a: 1, b: "two", c: undefined });
  });

  it("remember computes once, then serves the stored value; rememberForever never expires", async () => {
    const { manager, advance } = testCache();
    const cache = manager.store(driver);
    let calls = 0;
    const compute = async () => ++calls;
    expect(await cache.remember("r", 10, compute)).toBe(1);
    expect(await cache.remember("r", 10, compute)).toBe(1);
    advance(11);
    expect(await cache.remember("r", 10, compute)).toBe(2);
    expect(await cache.rememberForever("f", compute)).toBe(3);
    advance(1_000_000);
    expect(await cache.rememberForever("f", compute)).toBe(3);
    await expect(cache.remember("err", 10, () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await cache.has("err")).toBe(false);
  });

  it("single-flight: 50 concurrent misses for one key compute once", async () => {
    const { manager } = testCache();
    const cache = manager.store(driver);
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const compute = async () => {
      calls++;
      await gate;
      return "value";
    };
    const all = Promise.all(Array.from({ length: 50 }, () => manager.store(driver).remember("hot", 60, compute)));
    await new Promise((r) => setTimeout(r, 10));
    release();
    expect(await all).toEqual(Array(50).fill("value"));
    expect(calls).toBe(1);
    expect(await cache.get("hot")).toBe("value");
  });

  it("stale-while-revalidate serves the old value and refreshes once through waitUntil", async () => {
    const { manager, advance } = testCache();
    const ctx = createExecutionContext();
    const cache = manager.store(driver, ctx);
    let version = 0;
    const compute = async () => ++version;
    expect(await cache.remember("swr", 10, compute, { staleWhileRevalidate: 30 })).toBe(1);
    advance(15);
    const stale = await Promise.all([1, 2, 3].map(() => cache.remember("swr", 10, compute, { staleWhileRevalidate: 30 })));
    expect(stale).toEqual([1, 1, 1]);
    await waitOnExecutionContext(ctx);
    expect(version).toBe(2);
    expect(await cache.remember("swr", 10, compute, { staleWhileRevalidate: 30 })).toBe(2);
    advance(10 + 30 + 1);
    expect(await cache.remember("swr", 10, compute, { staleWhileRevalidate: 30 })).toBe(3);
  });

  it("tag flush makes every tagged entry miss at once and leaves others alone", async () => {
    const { manager } = testCache();
    const cache = manager.store(driver);
    await cache.tags(["articles"]).put("a1", 1);
    await cache.tags(["articles", "users"]).put("mix", 2);
    await cache.tags(["users"]).put("u1", 3);
    await cache.put("plain", 4);
    expect(await cache.tags(["articles"]).get("a1")).toBe(1);
    expect(await cache.tags(["users", "articles"]).get("mix")).toBe(2);
    await cache.tags(["articles"]).flush();
    expect(await cache.tags(["articles"]).get("a1")).toBeUndefined();
    expect(await cache.tags(["articles", "users"]).get("mix")).toBeUndefined();
    expect(await cache.tags(["users"]).get("u1")).toBe(3);
    expect(await cache.get("plain")).toBe(4);
    let calls = 0;
    expect(await cache.tags(["articles"]).remember("a1", 60, () => ++calls)).toBe(1);
    expect(await cache.tags(["articles"]).remember("a1", 60, () => ++calls)).toBe(1);
    expect(() => cache.tags([])).toThrow(/at least one tag/);
  });
});

describe("CacheManager", () => {
  it("resolves the configured default driver and rejects an unknown one at config time", () => {
    expect(testCache({ CACHE_DRIVER: "kv" }).manager.store().store.name).toBe("kv");
    expect(testCache().manager.store().store.name).toBe("tiered");
    expect(() => testCache({ CACHE_DRIVER: "redis" })).toThrow(/CACHE_DRIVER must be one of/);
  });
});
