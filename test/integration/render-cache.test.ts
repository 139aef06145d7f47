import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { RenderFrame } from "../../durable-objects/realtime/protocol";
import { CacheApiStore } from "../../worker/cache/stores/cache-api";
import { ComponentRegistry } from "../../worker/templating/component-registry";
import { ComponentService } from "../../worker/templating/component-service";
import { RenderCache } from "../../worker/templating/render-cache";
import { APP_KEY, labs } from "../support/live";

const MAX_STALE = 1000;
let run = 0;

async function setup() {
  const name = `render-cache-${++run}-${crypto.randomUUID()}`;
  const clock = { now: 1_000_000 };
  const store = new CacheApiStore({ cache: await caches.open(name), clock: () => clock.now });
  const cache = new RenderCache({ store, maxStaleMs: MAX_STALE, clock: () => clock.now });
  const stub = labs.COUNTER.getByName(name);
  let rootCalls = 0;
  const load = () => {
    rootCalls++;
    return stub.currentRender() as Promise<RenderFrame>;
  };
  return { name, clock, cache, stub, load, calls: () => rootCalls };
}

describe("cached page renders", () => {
  it("freshness: a view at t shows a head the root had at some instant in [t - maxStale, t], whatever the interleaving", async () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant("commit" as const) }),
      fc.record({ kind: fc.constant("advance" as const), ms: fc.integer({ min: 0, max: 1600 }) }),
      fc.record({ kind: fc.constant("view" as const) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
        const { name, clock, cache, stub, load } = await setup();
        // When each seq became the head (seq 0 from the start).
        const heads: { seq: number; at: number }[] = [{ seq: 0, at: clock.now }];
        for (const o of ops) {
          if (o.kind === "advance") clock.now += o.ms;
          else if (o.kind === "commit") {
            const r = await stub.dispatch("increment", { by: 1 });
            if (!r.ok) throw new Error(r.message);
            heads.push({ seq: r.seq, at: clock.now });
          } else {
            const shown = await cache.get("counter", name, load);
            const i = heads.findIndex((h) => h.seq === shown.seq);
            expect(i).toBeGreaterThanOrEqual(0);
            const from = heads[i]!.at;
            const until = heads[i + 1]?.at ?? Number.POSITIVE_INFINITY;
            // The shown head was current at some instant of the window [now - maxStale, now].
            expect(from).toBeLessThanOrEqual(clock.now);
            expect(until).toBeGreaterThanOrEqual(clock.now - MAX_STALE);
            // Hence: a head committed maxStale or more ago is never hidden behind an older one.
            const settled = heads.filter((h) => h.at <= clock.now - MAX_STALE).at(-1);
            if (settled) expect(shown.seq).toBeGreaterThanOrEqual(settled.seq);
          }
        }
      }),
      { seed: 20261203, numRuns: 25 },
    );
  });

  it("N page views cost at most one root call per refresh window, concurrent misses included", async () => {
    const { name, clock, cache, stub, load, calls } = await setup();
    const frames = await Promise.all(Array.from({ length: 50 }, () => cache.get("counter", name, load)));
    expect(calls()).toBe(1);
    expect(new Set(frames.map((f) => f.seq))).toEqual(new Set([0]));
    for (let i = 0; i < 50; i++) {
      clock.now += 10;
      await cache.get("counter", name, load);
    }
    expect(calls()).toBe(1);
    await stub.dispatch("increment", { by: 2 });
    clock.now += MAX_STALE;
    const views = await Promise.all(Array.from({ length: 20 }, () => cache.get("counter", name, load)));
    expect(calls()).toBe(2);
    expect(views.every((v) => v.seq === 1)).toBe(true);
  });

  it("a view whose store read was slower than another view's whole refresh still makes no second root call", async () => {
    const { name, clock, stub, load, calls } = await setup();
    const inner = new CacheApiStore({ cache: await caches.open(`${name}-slow`), clock: () => clock.now });
    // The second pointer read is held until the first view has finished its refresh.
    let reads = 0;
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const store = {
      name: "slow",
      get: async (key: string) => {
        const miss = await inner.get(key);
        if (key.endsWith("#head") && ++reads === 2) await held;
        return miss;
      },
      put: (key: string, entry: Parameters<typeof inner.put>[1]) => inner.put(key, entry),
      delete: (key: string) => inner.delete(key),
    };
    const cache = new RenderCache({ store, maxStaleMs: MAX_STALE, clock: () => clock.now });
    const first = cache.get("counter", name, load);
    const late = cache.get("counter", name, load);
    expect((await first).seq).toBe(0);
    release();
    expect((await late).seq).toBe(0);
    expect(calls()).toBe(1);
    await stub.dispatch("increment", { by: 1 });
    clock.now += MAX_STALE;
    expect((await cache.get("counter", name, load)).seq).toBe(1);
    expect(calls()).toBe(2);
  });

  it("live() serves the mount from the cache with the seq the client resumes from; fresh: true asks the root", async () => {
    const { name, cache } = await setup();
    const service = new ComponentService(new ComponentRegistry(env, { counter: "COUNTER" }), { secret: APP_KEY, tokenTtl: 60, renders: cache });
    const stub = labs.COUNTER.getByName(name);
    expect((await service.live("counter", name)).value).toContain('data-live-seq="0"');
    await stub.dispatch("increment", { by: 5 });
    // Inside the window the cached head (seq 0) is shown; the socket's hello since=0 brings the client to seq 1.
    expect((await service.live("counter", name)).value).toContain('data-live-seq="0"');
    expect(cache.loads).toBe(1);
    const fresh = (await service.live("counter", name, { fresh: true })).value;
    expect(fresh).toContain('data-live-seq="1"');
    expect(fresh).toContain(">5</button>");
    expect(cache.loads).toBe(1);
  });

  it("after the root's log is reset (a new epoch), no view past the window shows the old epoch, even at a higher seq", async () => {
    const { name, clock, cache, stub, load } = await setup();
    await stub.dispatch("increment", { by: 1 });
    await stub.dispatch("increment", { by: 1 });
    const old = await cache.get("counter", name, load);
    expect(old.seq).toBe(2);
    await runInDurableObject(stub, (_i, state) => state.storage.deleteAll());
    await evictDurableObject(stub);
    clock.now += MAX_STALE;
    const shown = await cache.get("counter", name, load);
    expect(shown.epoch).not.toBe(old.epoch);
    expect(shown.seq).toBe(0);
    // The old epoch's render is still in the store under its own key, but nothing points at it.
    clock.now += 10;
    expect((await cache.get("counter", name, load)).epoch).toBe(shown.epoch);
  });
});
