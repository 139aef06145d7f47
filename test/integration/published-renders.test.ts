import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import type { RenderFrame } from "../../durable-objects/realtime/protocol";
import { ComponentRegistry } from "../../worker/templating/component-registry";
import { ComponentService } from "../../worker/templating/component-service";
import { publishedRenderKey, readPublishedRender, type PublishedRender } from "../../worker/templating/published-render";
import { PublishedRenders } from "../../worker/templating/published-renders";
import { renderSources } from "../../worker/templating/render-source";
import { APP_KEY } from "../support/live";

const ns = env.PUBLISHING_COUNTER;

function setup() {
  const name = `published-${crypto.randomUUID()}`;
  const stub = ns.getByName(name);
  const key = publishedRenderKey(stub.id.toString());
  let rootCalls = 0;
  const load = (publish?: boolean) => {
    rootCalls++;
    return stub.currentRender(publish) as Promise<RenderFrame>;
  };
  /** What a first page view does: it misses and asks the root to publish. */
  const view = () => new PublishedRenders(env.CACHE).render({ component: "counter", key: name, objectId: stub.id.toString() }, load);
  const entry = async () => readPublishedRender(await env.CACHE.get(key, "json"));
  /** Waits for the root's alarm to write the entry at `seq`. */
  const published = (seq: number) => vi.waitFor(async () => {
    const e = await entry();
    expect(e?.seq).toBe(seq);
    return e as PublishedRender;
  }, { timeout: 5000, interval: 50 });
  return { name, stub, key, load, view, entry, published, calls: () => rootCalls, mount: { component: "counter", key: name, objectId: stub.id.toString() } };
}

describe("renders published by the root (LIVE_RENDER_KV)", () => {
  it("an object no page has read never writes; the first view's miss starts it", async () => {
    const { stub, entry, view, published, calls } = setup();
    await stub.dispatch("increment", { by: 1 });
    await new Promise((r) => setTimeout(r, 200));
    expect(await entry()).toBeUndefined();
    expect(await runInDurableObject(stub, (_o, state) => state.storage.getAlarm())).toBeNull();
    expect((await view()).seq).toBe(1);
    expect(calls()).toBe(1);
    await published(1);
  });

  it("once read, a commit is published by the root; views then read it and never call the root", async () => {
    const { stub, load, view, published, calls, mount } = setup();
    await view();
    await published(0);
    await stub.dispatch("increment", { by: 3 });
    const e = await published(1);
    expect(e.frame.epoch).toBe(e.epoch);
    expect(JSON.stringify(e.frame.dynamics)).toContain("3");
    const renders = new PublishedRenders(env.CACHE);
    for (let i = 0; i < 20; i++) expect((await renders.render(mount, load)).seq).toBe(1);
    expect(calls()).toBe(1);
    expect(renders.loads).toBe(0);
  });

  it("a burst of commits is one write of its last head, and the next write waits out the interval", async () => {
    const { stub, view, published } = setup();
    await view();
    await stub.dispatch("increment", { by: 1 });
    const first = await published(1);
    for (let i = 0; i < 5; i++) await stub.dispatch("increment", { by: 1 });
    // Armed for one interval after the last write, not at once (KV takes one write per second per key).
    const alarm = await runInDurableObject(stub, (_o, state) => state.storage.getAlarm());
    expect(alarm).toBeGreaterThanOrEqual(first.publishedAt + 1000);
    const second = await published(6);
    expect(second.publishedAt - first.publishedAt).toBeGreaterThanOrEqual(1000);
    expect(JSON.stringify(second.frame.dynamics)).toContain("6");
  });

  it("a view that finds nothing asks the root once (concurrent misses share it), and the root publishes for the views after it", async () => {
    const { load, published, calls, mount } = setup();
    const renders = new PublishedRenders(env.CACHE);
    const views = await Promise.all(Array.from({ length: 10 }, () => renders.render(mount, load)));
    expect(views.every((f) => f.seq === 0)).toBe(true);
    expect(calls()).toBe(1);
    await published(0);
    await renders.render(mount, load);
    expect(calls()).toBe(1);
  });

  it("an entry removed behind the root's back comes back at the next miss", async () => {
    const { stub, key, load, view, published, calls, mount } = setup();
    await view();
    await stub.dispatch("increment", { by: 1 });
    await published(1);
    await env.CACHE.delete(key);
    const renders = new PublishedRenders(env.CACHE);
    expect((await renders.render(mount, load)).seq).toBe(1);
    expect(calls()).toBe(2);
    await published(1);
  });

  it("a malformed or foreign entry is a miss, not a page", async () => {
    const { key, load, calls, mount } = setup();
    const renders = new PublishedRenders(env.CACHE);
    for (const bad of ["not json", JSON.stringify({ epoch: "e", seq: 1, publishedAt: 1, frame: { type: "render", epoch: "e", seq: 2 } }), JSON.stringify({ seq: 1 })]) {
      await env.CACHE.put(key, bad);
      expect((await renders.render(mount, load)).seq).toBe(0);
    }
    expect(calls()).toBe(3);
  });

  it("an eviction between a commit and its publish delays the write, it does not lose it", async () => {
    const { stub, view, published } = setup();
    await view();
    await stub.dispatch("increment", { by: 1 });
    await evictDurableObject(stub);
    await published(1);
    await stub.dispatch("increment", { by: 1 });
    await evictDurableObject(stub);
    await published(2);
  });

  it("after a reset (a new epoch) the root publishes the new epoch's render over the old one", async () => {
    const { stub, view, published, entry } = setup();
    await view();
    await stub.dispatch("increment", { by: 1 });
    await stub.dispatch("increment", { by: 1 });
    const old = await published(2);
    await runInDurableObject(stub, (_o, state) => state.storage.deleteAll());
    await evictDurableObject(stub);
    // The reset dropped the root's record of being read, and views still read the old epoch's entry (so
    // they never miss): on waking it finds that entry and replaces it, without a commit or a view asking.
    const woken = (await stub.currentRender()) as RenderFrame;
    expect(woken.epoch).not.toBe(old.epoch);
    await vi.waitFor(async () => expect((await entry())?.epoch).toBe(woken.epoch), { timeout: 5000, interval: 50 });
    expect((await entry())?.seq).toBe(0);
  });

  it("live() embeds the published render and its seq; fresh: true still asks the root", async () => {
    const { name, stub, view, published } = setup();
    await view();
    const registry = new ComponentRegistry(env, { counter: "PUBLISHING_COUNTER" });
    const renders = new PublishedRenders(env.CACHE);
    const service = new ComponentService(registry, { secret: APP_KEY, tokenTtl: 60, renders });
    await stub.dispatch("increment", { by: 2 });
    await published(1);
    expect((await service.live("counter", name)).value).toContain('data-live-seq="1"');
    expect(renders.loads).toBe(0);
    await stub.dispatch("increment", { by: 2 });
    expect((await service.live("counter", name, { fresh: true })).value).toContain('data-live-seq="2"');
    await published(2);
    expect((await service.live("counter", name)).value).toContain(">4</button>");
  });

  it("each component gets the source its settings name; a setting the Worker cannot honour is a configuration error", () => {
    const e = env as unknown as Record<string, unknown>;
    const sources = renderSources({ renderCacheMs: 1000, renderKv: "CACHE", renders: { news: "published", counter: "root" } }, e);
    expect(sources("news")).toBeInstanceOf(PublishedRenders);
    expect(sources("counter")).toBeUndefined();
    expect(sources("weather")?.constructor.name).toBe("RenderCache");
    expect(renderSources({ renderCacheMs: 0, renderKv: "CACHE", renders: {} }, e)("news")).toBeUndefined();
    expect(() => renderSources({ renderCacheMs: 0, renderKv: "RENDERS", renders: { news: "published" } }, e)).toThrow(/LIVE_RENDER_KV is "RENDERS".*\[\[kv_namespaces\]\]/);
    expect(() => renderSources({ renderCacheMs: 0, renderKv: "", renders: { news: "published", board: "published" } }, e)).toThrow(/news, board have renders: "published", which needs LIVE_RENDER_KV/);
    expect(() => renderSources({ renderCacheMs: 0, renderKv: "", renders: { news: "cached" } }, e)).toThrow(/news: renders: "cached" needs LIVE_RENDER_CACHE_MS/);
    expect(() => renderSources({ renderCacheMs: 0, renderKv: "", renders: { news: "kv" as "published" } }, e)).toThrow(/news: renders is "kv"; use "root", "cached" or "published"/);
  });
});
