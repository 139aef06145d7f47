import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { cacheKey, KvAiCache } from "../../worker/ai/cache";
import { AIManager } from "../../worker/ai/manager";
import { WorkersAiProvider } from "../../worker/ai/providers/workers-ai";
import { aiConfigWith, captureLogger, manager, standin } from "../support/ai";

beforeEach(async () => {
  await standin.__reset();
});

describe("KV caching", () => {
  it("misses, stores, then hits for the same model, input and options", async () => {
    const ai = manager();
    const first = await ai.invoke("summarize", { input_text: "The quick brown fox jumps over the lazy dog again and again" });
    const second = await ai.invoke("summarize", { input_text: "The quick brown fox jumps over the lazy dog again and again" });
    expect(first.cached).toBe(false);
    expect(second.cached).toBe(true);
    expect(second.attempts).toBe(0);
    expect(second.output).toEqual(first.output);
    expect(second.model).toBe("@cf/facebook/bart-large-cnn");
    expect(await standin.__calls()).toHaveLength(1);
  });

  it("keys by input and options: a different max_length is a miss", async () => {
    const ai = manager();
    await ai.run("summarize", { input_text: "one two three", max_length: 100 });
    const other = await ai.invoke("summarize", { input_text: "one two three", max_length: 101 });
    expect(other.cached).toBe(false);
    expect(await standin.__calls()).toHaveLength(2);
  });

  it("is opt-in per alias (chat is not cached) and per call", async () => {
    const ai = manager();
    await ai.run("chat", { prompt: "same" });
    expect((await ai.invoke("chat", { prompt: "same" })).cached).toBe(false);
    await ai.run("chat", { prompt: "opted in" }, { cache: true });
    expect((await ai.invoke("chat", { prompt: "opted in" }, { cache: true })).cached).toBe(true);
    // ...and a call can opt out of an alias that caches.
    await ai.run("classify", { text: "great" });
    expect((await ai.invoke("classify", { text: "great" }, { cache: false })).cached).toBe(false);
  });

  it("writes the entry to KV under the prefix with a SHA-256 key and an expiration", async () => {
    const prefix = `kvtest:${crypto.randomUUID()}:`;
    const ai = new AIManager({ config: aiConfigWith(), providers: [new WorkersAiProvider(standin)], cache: new KvAiCache(env.CACHE, prefix), log: captureLogger().log });
    await ai.run("classify", { text: "I love it" });
    const { keys } = await env.CACHE.list({ prefix });
    expect(keys).toHaveLength(1);
    expect(keys[0]!.name).toMatch(new RegExp(`^${prefix}[0-9a-f]{64}$`));
    expect(keys[0]!.expiration).toBeGreaterThan(Date.now() / 1000 + 3000);
    const stored = await env.CACHE.get(keys[0]!.name, "json");
    expect(stored).toMatchObject({ model: "@cf/huggingface/distilbert-sst-2-int8", provider: "workers-ai" });
  });

  it("does not cache failures", async () => {
    const ai = manager({ vars: { AI_SUMMARIZE_MODELS: "@standin/invalid" } });
    await expect(ai.run("summarize", { input_text: "x" })).rejects.toMatchObject({ status: 502 });
    await expect(ai.run("summarize", { input_text: "x" })).rejects.toMatchObject({ status: 502 });
    expect(await standin.__calls()).toHaveLength(2);
  });

  it("hashes canonically: key order does not matter, values do", async () => {
    expect(await cacheKey({ a: 1, b: [1, { c: 2, d: 3 }] })).toBe(await cacheKey({ b: [1, { d: 3, c: 2 }], a: 1 }));
    expect(await cacheKey({ a: 1 })).not.toBe(await cacheKey({ a: 2 }));
  });
});

describe("AI Gateway options", () => {
  it("passes configured gateway options through, merged with the call's", async () => {
    const ai = manager({ vars: { AI_GATEWAY_ID: "stratus-gw", AI_GATEWAY_CACHE_TTL: "120" } });
    const inf = await ai.invoke("chat", { prompt: "via gateway" }, { gateway: { skipCache: true, metadata: { user: "u1" } } });
    const [call] = await standin.__calls();
    expect(call!.gateway).toEqual({ id: "stratus-gw", cacheTtl: 120, skipCache: true, metadata: { user: "u1" } });
    expect(inf.providerRequestId).toMatch(/^standin-/);
  });

  it("logs the gateway log id", async () => {
    const { log, lines } = captureLogger();
    await manager({ vars: { AI_GATEWAY_ID: "gw" }, log }).run("chat", { prompt: "hi" });
    expect(lines.find((l) => l.msg === "ai.inference")!.gatewayLogId).toMatch(/^log-\d+$/);
  });

  it("sends no gateway when none is configured, or when the call says false", async () => {
    await manager().run("chat", { prompt: "direct" });
    await manager({ vars: { AI_GATEWAY_ID: "gw" } }).run("chat", { prompt: "direct" }, { gateway: false });
    expect((await standin.__calls()).map((c) => c.gateway)).toEqual([null, null]);
  });

  it("takes a per-call gateway id when config has none", async () => {
    await manager().run("chat", { prompt: "x" }, { gateway: { id: "per-call", cacheTtl: 60 } });
    expect((await standin.__calls())[0]!.gateway).toEqual({ id: "per-call", cacheTtl: 60 });
  });
});
