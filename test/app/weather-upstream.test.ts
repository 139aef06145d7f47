// The upstream client and its cache, in workerd, against the stand-in this Worker serves.
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { WeatherService } from "../../components/weather/service";
import { weatherSettings } from "../../components/weather/settings";
import { OpenMeteoClient, UpstreamError } from "../../components/weather/upstream";
import { forecastCalls, freshCity, standin } from "./weather-support";

const settings = weatherSettings(env);
const client = new OpenMeteoClient(settings);

async function placeOf(city: string) {
  const place = await client.geocode(city.replace(/-/g, " "));
  if (!place) throw new Error(`no place for ${city}`);
  return place;
}

async function failure(p: Promise<unknown>): Promise<UpstreamError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  if (!(err instanceof UpstreamError)) throw new Error(`expected an UpstreamError, got ${String(err)}`);
  return err;
}

describe("OpenMeteoClient", () => {
  it("geocodes a city and reads its forecast in the app's own shape; an unknown city is null", async () => {
    const city = freshCity("porto");
    const place = await placeOf(city);
    expect(place).toMatchObject({ country: "Standland", timezone: "GMT" });
    const report = await client.forecast(place, 1234);
    expect(report.fetchedAt).toBe(1234);
    expect(report.days).toHaveLength(settings.forecastDays);
    expect(report.days[0]).toEqual({ date: expect.stringMatching(/^\d{4}-\d\d-\d\d$/), code: expect.any(Number), max: expect.any(Number), min: expect.any(Number), rain: expect.any(Number) });
    // Deterministic per city.
    expect({ ...(await client.forecast(place, 1234)), observedAt: "" }).toEqual({ ...report, observedAt: "" });
    expect(await client.geocode(freshCity("nowhere"))).toBeNull();
  });

  for (const [mode, kind, attempts] of [["timeout", "timeout", 3], ["error", "status", 3], ["malformed", "malformed", 1]] as const) {
    it(`${mode}: a typed ${kind} error after ${attempts} attempt(s)`, async () => {
      const city = freshCity(`client-${mode}`);
      const place = await placeOf(city);
      await standin("/control", { mode, city });
      const err = await failure(client.forecast(place));
      expect(err.kind).toBe(kind);
      expect(err.attempts).toBe(attempts);
      expect(await forecastCalls(city)).toBe(attempts);
      if (kind === "status") expect(err.status).toBe(500);
      await standin("/control", { mode: "ok", city });
      await expect(client.forecast(place)).resolves.toMatchObject({ days: expect.any(Array) });
    });
  }

  it("recovers within its retries when a 5xx passes", async () => {
    let calls = 0;
    const flaky = new OpenMeteoClient(settings, async (req) => (++calls < 3 ? new Response("down", { status: 503 }) : exports.default.fetch(req)));
    await expect(flaky.geocode("lyon")).resolves.toMatchObject({ name: "Lyon" });
    expect(calls).toBe(3);
  });

  it("does not retry a 4xx, and names a body of the wrong shape", async () => {
    let calls = 0;
    const bad = new OpenMeteoClient(settings, async () => (calls++, new Response("no", { status: 400 })));
    expect(await failure(bad.geocode("x"))).toMatchObject({ kind: "status", status: 400, attempts: 1 });
    expect(calls).toBe(1);
    const shape = new OpenMeteoClient(settings, async () => Response.json({ results: [{ name: "X", latitude: "north" }] }));
    const err = await failure(shape.geocode("x"));
    expect(err.kind).toBe("malformed");
    expect(err.message).toMatch(/unexpected shape/);
  });

  it("the stand-in also fails one request on demand (x-standin-mode)", async () => {
    const res = await exports.default.fetch("http://example.com/__standin/open-meteo/v1/search?name=rome", { headers: { "x-standin-mode": "error" } });
    expect(res.status).toBe(500);
  });
});

describe("WeatherService (KV cache in front of the upstream)", () => {
  it("makes one forecast call per city per refresh interval, however many ask at once", async () => {
    let now = Date.now();
    const service = new WeatherService(settings, env.CACHE, client, () => now);
    const cities = [freshCity("svc-a"), freshCity("svc-b"), freshCity("svc-c")];
    const places = await Promise.all(cities.map((c) => service.place(c)));
    const ask = () => Promise.all(cities.flatMap((c, i) => Array.from({ length: 8 }, () => service.report(c, places[i]!))));

    const first = await ask();
    for (const c of cities) expect(await forecastCalls(c)).toBe(1);
    expect(new Set(first.map((r) => r.fetchedAt)).size).toBeLessThanOrEqual(3);

    now += (settings.refreshSeconds / 2) * 1000;
    await ask();
    for (const c of cities) expect(await forecastCalls(c)).toBe(1);

    now += (settings.refreshSeconds / 2) * 1000 + 1;
    await ask();
    for (const c of cities) expect(await forecastCalls(c)).toBe(2);

    // A second service (another isolate, the cron) reads the same KV entries.
    const other = new WeatherService(settings, env.CACHE, client, () => now);
    await other.report(cities[0]!, places[0]!);
    expect(await forecastCalls(cities[0]!)).toBe(2);
  });

  it("remembers where a city is, and that a name matches nothing", async () => {
    const service = new WeatherService(settings, env.CACHE, client);
    const city = freshCity("geo");
    const gone = freshCity("nowhere");
    for (let i = 0; i < 3; i++) {
      expect(await service.place(city)).not.toBeNull();
      expect(await service.place(gone)).toBeNull();
    }
    const calls = (await standin("/calls")) as { search: Record<string, number> };
    expect(calls.search[city.replace(/-/g, " ")]).toBe(1);
    expect(calls.search[gone.replace(/-/g, " ")]).toBe(1);
  });
});
