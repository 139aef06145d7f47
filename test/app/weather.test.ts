// The Weather component end to end in workerd: the page, the live object and
// its alarm, the KV cache in front of the upstream, and the upstream's
// failure modes, all against the stand-in upstream this Worker serves itself.
import { env } from "cloudflare:workers";
import { createExecutionContext, createScheduledController, evictDurableObject, runDurableObjectAlarm, runInDurableObject, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import app from "../../app/index";
import type { Weather } from "../../components/weather/weather";
import { advance, forecastCalls, freshCity, nextInterval, page, searchCalls, standin, stateOf, stub, until, viewer } from "./weather-support";

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true });
});
afterEach(() => {
  vi.useRealTimers();
});

async function html(city: string): Promise<string> {
  const res = await page(`/weather/${city}`);
  expect(res.status).toBe(200);
  return res.text();
}

/** The object's pending tasks (protected in the class; a test may look). */
function tasks(city: string): Promise<string[]> {
  return runInDurableObject(stub(city), (instance: Weather) => (instance as unknown as { scheduled(): { name: string }[] }).scheduled().map((t) => t.name));
}

describe("the /weather pages", () => {
  it("renders current conditions, a forecast and the time of the last update", async () => {
    const city = freshCity("lisbon");
    const body = await html(city);
    expect(body).toContain('data-live="weather"');
    expect(body).toContain('data-status="fresh"');
    expect(body).toMatch(/<p class="temp">-?\d+°C<\/p>/);
    expect(body.match(/<li><span class="day">/g)).toHaveLength(3);
    expect(body).toMatch(/Updated <time datetime="[^"]+">\d\d:\d\d UTC<\/time>/);
    expect(body).toContain('<link rel="stylesheet" href="/app.css">');
    expect(body).toContain('name="viewport"');
  });

  it("sends a city name to its canonical address, and the index form to the city's page", async () => {
    const moved = await page("/weather/New%20York");
    expect(moved.status).toBe(301);
    expect(moved.headers.get("location")).toBe("/weather/new-york");
    const form = await page("/weather?city=S%C3%A3o+Paulo");
    expect(form.status).toBe(302);
    expect(form.headers.get("location")).toBe(`/weather/${encodeURIComponent("são-paulo")}`);
  });

  it("rejects a malformed city with a problem, a bad form value with the form again, and says when no city matches", async () => {
    const bad = await page("/weather/%3Cscript%3E");
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toContain("application/problem+json");
    const form = await page("/weather?city=%3Cb%3E");
    expect(form.status).toBe(422);
    const text = await form.text();
    expect(text).toContain('role="alert"');
    expect(text).toContain("&lt;b&gt;");
    const nowhere = freshCity("nowhere");
    const none = await page(`/weather/${nowhere}`);
    expect(none.status).toBe(404);
    expect(await none.text()).toContain("No city by that name.");
    // Asked again only after an hour: until then the miss costs no upstream call.
    await page(`/weather/${nowhere}`);
    expect(await searchCalls(nowhere)).toBe(1);
    advance(3_601_000);
    await page(`/weather/${nowhere}`);
    expect(await searchCalls(nowhere)).toBe(2);
  });

  it("serves a city named in any script, live under the same key", async () => {
    const city = `são-${crypto.randomUUID().slice(0, 6)}`;
    const res = await page(`/weather/${encodeURIComponent(city)}`);
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toContain(`data-live-key="${city}"`);
    expect(body).toMatch(/<h2>São \w+, Standland<\/h2>/);
    const v = await viewer(city);
    expect(v.of("render")).toHaveLength(1);
    v.close();
  });

  it("lists the most viewed cities on the index", async () => {
    const city = freshCity("popular");
    await html(city);
    await until(async () => (await env.DB.prepare("SELECT views FROM weather_views WHERE city = ?").bind(city).first<{ views: number }>())?.views === 1);
    const res = await page("/weather");
    expect(await res.text()).toContain(`<a href="/weather/${city}">${city}</a>`);
  });
});

describe("the Weather component", () => {
  it("lets viewers watch but not drive it: its actions are the server's own", async () => {
    const city = freshCity("oslo");
    await html(city);
    const v = await viewer(city);
    expect(await v.act("refresh", {})).toMatchObject({ type: "error", code: "unauthorized" });
    expect(await v.act("summarise", { fetchedAt: 1, text: "hi" })).toMatchObject({ type: "error", code: "unauthorized" });
    v.close();
  });

  it("adds a one-line AI summary of each new forecast", async () => {
    const city = freshCity("summary");
    await html(city);
    await until(async () => (await stateOf(city)).summary !== null);
    const s = await stateOf(city);
    expect(s.summary!.fetchedAt).toBe(s.report!.fetchedAt);
    // The AI stand-in echoes the prompt: the summary was asked about this city's forecast.
    expect(s.summary!.text).toMatch(/^Echo: In one short friendly sentence, summarise this forecast for /);
  });

  it("refreshes on its alarm while watched, and schedules nothing and fetches nothing once no one is", async () => {
    const city = freshCity("watched");
    await html(city);
    // Page views alone schedule nothing: no alarm at all.
    expect(await tasks(city)).toEqual([]);
    expect(await runInDurableObject(stub(city), (_i, state) => state.storage.getAlarm())).toBeNull();
    const a = await viewer(city);
    const b = await viewer(city);
    expect(await tasks(city)).toEqual(["refresh"]);
    const first = (await stateOf(city)).report!.fetchedAt;

    await nextInterval(city, [a, b]);
    expect(await forecastCalls(city)).toBe(2);
    const second = (await stateOf(city)).report!.fetchedAt;
    expect(second).toBeGreaterThan(first);
    // Both viewers got the new report as a diff.
    await a.until((c) => c.of("diff").length > 0);
    await b.until((c) => c.of("diff").length > 0);

    a.close();
    expect(await tasks(city)).toEqual(["refresh"]);
    b.close();
    await until(async () => (await stub(city).watchers()) === 0);
    expect(await tasks(city)).toEqual([]);

    // Intervals pass with no one watching: the remaining heartbeat runs once, then there is no alarm at all.
    advance(700_000);
    await runDurableObjectAlarm(stub(city));
    advance(700_000);
    expect(await runDurableObjectAlarm(stub(city))).toBe(false);
    expect(await runInDurableObject(stub(city), (_i, state) => state.storage.getAlarm())).toBeNull();
    expect(await forecastCalls(city)).toBe(2);
    expect((await stateOf(city)).report!.fetchedAt).toBe(second);
  });

  it("makes one upstream call per city per interval, whatever the number of viewers and page views", async () => {
    const cities = [freshCity("many-a"), freshCity("many-b"), freshCity("many-c")];
    // 3 cities × 10 concurrent page views on cold objects, then 4 viewers each.
    await Promise.all(cities.flatMap((city) => Array.from({ length: 10 }, () => html(city))));
    const viewers = await Promise.all(cities.map((city) => Promise.all(Array.from({ length: 4 }, () => viewer(city)))));
    for (const city of cities) expect(await forecastCalls(city)).toBe(1);

    for (let round = 2; round <= 3; round++) {
      advance(601_000);
      for (const [i, city] of cities.entries()) {
        await nextInterval(city, viewers[i]!, 0);
        // A second alarm run and more page views inside the same interval change nothing.
        await runDurableObjectAlarm(stub(city));
        await Promise.all(Array.from({ length: 5 }, () => html(city)));
      }
      for (const city of cities) expect(await forecastCalls(city)).toBe(round);
    }
    for (const c of viewers.flat()) c.close();
  });

  it("shares the cache across objects and the cron: a city warmed by the cron costs its first viewer no upstream call", async () => {
    const warm = [freshCity("warm-a"), freshCity("warm-b")];
    for (const city of warm) {
      await env.DB.prepare("INSERT INTO weather_views (city, views, last_viewed_at) VALUES (?, 1000000, ?)").bind(city, Date.now()).run();
    }
    const ctx = createExecutionContext();
    await (app as unknown as ExportedHandler<Env>).scheduled!(createScheduledController({ cron: "*/5 * * * *", scheduledTime: Date.now() }), env, ctx);
    await waitOnExecutionContext(ctx);
    for (const city of warm) expect(await forecastCalls(city)).toBe(1);
    for (const city of warm) await html(city);
    for (const city of warm) expect(await forecastCalls(city)).toBe(1);
  });

  it("comes back after eviction with its state and its last good report", async () => {
    const city = freshCity("evicted");
    await html(city);
    const before = await stateOf(city);
    await evictDurableObject(stub(city));
    const after = await stateOf(city);
    expect(after).toEqual(before);
    expect(await html(city)).toContain('data-status="fresh"');
    expect(await forecastCalls(city)).toBe(1);
  });
});

describe("when the upstream fails", () => {
  for (const [mode, kind, attempts, words] of [
    ["timeout", "timeout", 3, "is not answering"],
    ["error", "status", 3, "is failing"],
    ["malformed", "malformed", 1, "sent data we could not read"],
  ] as const) {
    it(`${mode}: keeps serving the last good data with a stale notice, survives eviction, and recovers`, async () => {
      const city = freshCity(`fail-${mode}`);
      await html(city);
      const v = await viewer(city);
      const good = await stateOf(city);

      await standin("/control", { mode, city });
      await nextInterval(city, [v]);
      // Timeouts and 5xx are retried (WEATHER_RETRIES=2); a body that is not JSON is not.
      expect(await forecastCalls(city)).toBe(1 + attempts);
      const stale = await stateOf(city);
      expect(stale.status).toBe("stale");
      expect(stale.error!.kind).toBe(kind);
      expect(stale.report).toEqual(good.report);

      const body = await html(city);
      expect(body).toContain('data-status="stale"');
      expect(body).toContain(`Stale: the weather service ${words}`);
      expect(body).toContain(`<p class="temp">${Math.round(good.report!.temperature)}°C</p>`);
      await v.until((c) => c.of("diff").length > 0);

      // A failing upstream is not hammered by page views: still one attempt per interval.
      await Promise.all(Array.from({ length: 5 }, () => html(city)));
      expect(await forecastCalls(city)).toBe(1 + attempts);

      v.close();
      await until(async () => (await stub(city).watchers()) === 0);
      await evictDurableObject(stub(city));
      expect(await stateOf(city)).toEqual(stale);
      expect(await html(city)).toContain("Stale: the weather service");

      await standin("/control", { mode: "ok", city });
      const w = await viewer(city);
      await nextInterval(city, [w]);
      const back = await stateOf(city);
      expect(back.status).toBe("fresh");
      expect(back.error).toBeNull();
      expect(back.report!.fetchedAt).toBeGreaterThan(good.report!.fetchedAt);
      expect(await html(city)).not.toContain("Stale");
      w.close();
    });
  }
});
