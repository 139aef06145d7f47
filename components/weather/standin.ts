import * as v from "valibot";
import { defineModule, NotFoundError, validate, type RequestContext } from "stratus";

/**
 * A local stand-in for Open-Meteo's geocoding and forecast endpoints, served
 * by this Worker under /__standin/open-meteo in development and test only (a
 * 404 elsewhere). Same paths, parameters and JSON shapes as the real API;
 * data is deterministic per city; failures come on demand:
 *
 *   POST /__standin/open-meteo/control  {"mode": "ok" | "timeout" | "error" | "malformed", "city"?: "paris"}
 *        (without city: every request; with it: that city's forecasts)
 *   GET  /__standin/open-meteo/calls    upstream calls so far, per city
 *   POST /__standin/open-meteo/reset    modes and counters back to zero
 *   any request with `x-standin-mode: <mode>` (or `?standin_mode=`) fails that one request
 *
 * A geocoding search for a name starting with "nowhere" finds nothing.
 * State lives in this isolate's memory: `wrangler dev` and the test runner run
 * the Worker and its Durable Objects in one isolate.
 */
export const STANDIN_PREFIX = "/__standin/open-meteo";

const MODES = ["ok", "timeout", "error", "malformed"] as const;
type Mode = (typeof MODES)[number];
/** How long a "timeout" answer hangs: longer than any client timeout the app configures for tests. */
const HANG_MS = 3000;
const STANDIN_ENVS = new Set(["development", "test"]);

const state = {
  global: "ok" as Mode,
  /** Per city, keyed by the coordinates its search returns (a forecast request carries only those). */
  cities: new Map<string, Mode>(),
  /** Coordinates → city name, to report calls per city. */
  names: new Map<string, string>(),
  calls: { search: {} as Record<string, number>, forecast: {} as Record<string, number> },
};

/** FNV-1a: a stable number per city name. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (const ch of s) h = Math.imul(h ^ ch.codePointAt(0)!, 0x01000193) >>> 0;
  return h;
}

function titleCase(s: string): string {
  return s.replace(/(^|[\s-])(\p{L})/gu, (_m, sep: string, c: string) => sep + c.toUpperCase());
}

/** The deterministic place for a name; coordinates rounded like Open-Meteo's (4 decimals). */
function placeFor(name: string) {
  const key = name.trim().toLowerCase();
  const h = hash(key);
  const latitude = Math.round(((h % 120_000) / 1000 - 60) * 1e4) / 1e4;
  const longitude = Math.round((((h >>> 7) % 340_000) / 1000 - 170) * 1e4) / 1e4;
  return { key, name: titleCase(key), latitude, longitude };
}

const coord = (lat: number, lon: number) => `${lat.toFixed(4)},${lon.toFixed(4)}`;

const CODES = [0, 1, 2, 3, 45, 51, 61, 63, 71, 80, 95];

function forecastFor(lat: number, lon: number, days: number, now: Date) {
  const h = hash(coord(lat, lon));
  const base = (h % 300) / 10 - 5;
  const time = new Date(Math.floor(now.getTime() / 900_000) * 900_000).toISOString().slice(0, 16);
  const dates = Array.from({ length: days }, (_, i) => new Date(now.getTime() + i * 86_400_000).toISOString().slice(0, 10));
  return {
    latitude: lat,
    longitude: lon,
    timezone: "GMT",
    current_units: { time: "iso8601", temperature_2m: "°C", relative_humidity_2m: "%", apparent_temperature: "°C", weather_code: "wmo code", wind_speed_10m: "km/h" },
    current: {
      time,
      interval: 900,
      temperature_2m: Math.round(base * 10) / 10,
      relative_humidity_2m: 30 + (h % 60),
      apparent_temperature: Math.round((base - 1.5) * 10) / 10,
      weather_code: CODES[h % CODES.length]!,
      wind_speed_10m: ((h >>> 5) % 400) / 10,
    },
    daily: {
      time: dates,
      weather_code: dates.map((_, i) => CODES[(h + i * 3) % CODES.length]!),
      temperature_2m_max: dates.map((_, i) => Math.round((base + 4 + ((h >>> i) % 30) / 10) * 10) / 10),
      temperature_2m_min: dates.map((_, i) => Math.round((base - 4 - ((h >>> (i + 2)) % 30) / 10) * 10) / 10),
      precipitation_probability_max: dates.map((_, i) => ((h >>> (i + 4)) % 11) * 10),
    },
  };
}

function modeOf(c: RequestContext, city?: string): Mode {
  const asked = c.request.headers.get("x-standin-mode") ?? c.url.searchParams.get("standin_mode");
  if (asked && (MODES as readonly string[]).includes(asked)) return asked as Mode;
  return (city !== undefined ? state.cities.get(city) : undefined) ?? state.global;
}

/** The failure a mode asks for, or null to answer normally. */
async function failure(mode: Mode, signal: AbortSignal): Promise<Response | null> {
  switch (mode) {
    case "ok":
      return null;
    case "error":
      return new Response("stand-in: internal error on demand", { status: 500 });
    case "malformed":
      return new Response('{"latitude": 1, "current": {"time": ', { headers: { "content-type": "application/json" } });
    case "timeout":
      // Hangs past the client's timeout; stops early when the caller gives up, when the runtime says so.
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, HANG_MS);
        signal.addEventListener("abort", () => (clearTimeout(t), resolve()));
      });
      return new Response("stand-in: too late", { status: 504 });
  }
}

function guard(c: RequestContext): void {
  if (!STANDIN_ENVS.has(c.config.app.env)) throw new NotFoundError(`No route matches ${c.request.method} ${c.url.pathname}.`);
}

const bump = (m: Record<string, number>, k: string) => void (m[k] = (m[k] ?? 0) + 1);

const control = v.object({ mode: v.picklist(MODES), city: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(80))) });

export const weatherStandInModule = defineModule({
  name: "weather-standin",
  routes(router) {
    router.get(`${STANDIN_PREFIX}/v1/search`, async (c) => {
      guard(c);
      const name = c.url.searchParams.get("name") ?? "";
      const place = placeFor(name);
      bump(state.calls.search, place.key);
      const failed = await failure(modeOf(c), c.request.signal);
      if (failed) return failed;
      if (place.key.length < 2 || place.key.startsWith("nowhere")) return { generationtime_ms: 0.1 };
      state.names.set(coord(place.latitude, place.longitude), place.key);
      return {
        results: [{ id: hash(place.key), name: place.name, latitude: place.latitude, longitude: place.longitude, country: "Standland", country_code: "SL", timezone: "GMT", admin1: "Stand-in" }],
        generationtime_ms: 0.1,
      };
    });
    router.get(`${STANDIN_PREFIX}/v1/forecast`, async (c) => {
      guard(c);
      const lat = Number(c.url.searchParams.get("latitude"));
      const lon = Number(c.url.searchParams.get("longitude"));
      if (!Number.isFinite(lat) || !Number.isFinite(lon)) return new Response(JSON.stringify({ error: true, reason: "latitude and longitude are required" }), { status: 400 });
      const key = coord(lat, lon);
      bump(state.calls.forecast, state.names.get(key) ?? key);
      const failed = await failure(modeOf(c, key), c.request.signal);
      if (failed) return failed;
      const days = Math.min(16, Math.max(1, Number(c.url.searchParams.get("forecast_days") ?? 7) || 7));
      return forecastFor(lat, lon, days, new Date());
    });
    router.post(`${STANDIN_PREFIX}/control`, validate({ body: control }, (c, { body }) => {
      guard(c);
      if (body.city === undefined) state.global = body.mode;
      else {
        const p = placeFor(body.city.replace(/-/g, " "));
        state.cities.set(coord(p.latitude, p.longitude), body.mode);
      }
      return { global: state.global, cities: state.cities.size };
    }));
    router.get(`${STANDIN_PREFIX}/calls`, (c) => (guard(c), state.calls));
    router.post(`${STANDIN_PREFIX}/reset`, (c) => {
      guard(c);
      state.global = "ok";
      state.cities.clear();
      state.calls = { search: {}, forecast: {} };
      return state.calls;
    });
  },
});
