import { EnvReader } from "stratus";

/** Open-Meteo's public endpoints: no key needed (wrangler.toml's production env points here). */
export const OPEN_METEO_FORECAST = "https://api.open-meteo.com/v1/forecast";
export const OPEN_METEO_GEOCODING = "https://geocoding-api.open-meteo.com/v1/search";

export interface WeatherSettings {
  /** Forecast endpoint. A path ("/__standin/...") is served by this Worker itself: the stand-in. */
  forecastUrl: string;
  geocodingUrl: string;
  /** Seconds between two upstream fetches of one city, and the component's refresh period. */
  refreshSeconds: number;
  /** Per attempt. */
  timeoutMs: number;
  /** Extra attempts after a timeout, a network error or a 5xx. */
  retries: number;
  /** Backoff before retry n is base * 2^(n-1), with jitter. */
  retryBaseMs: number;
  /** Days of forecast shown. */
  forecastDays: number;
  /** Ask Workers AI for a one-line summary of each new forecast. */
  aiSummary: boolean;
  /** The summary is a nicety: a short deadline, and no page waits for it. */
  summaryTimeoutMs: number;
}

/**
 * Read from the Worker env, so the Worker (pages, cron) and the component's
 * Durable Object (which has no app container) agree on the same values.
 */
export function weatherSettings(env: object): WeatherSettings {
  const e = new EnvReader(env as Record<string, unknown>);
  return {
    forecastUrl: e.string("WEATHER_API_URL", OPEN_METEO_FORECAST),
    geocodingUrl: e.string("WEATHER_GEOCODING_URL", OPEN_METEO_GEOCODING),
    refreshSeconds: e.int("WEATHER_REFRESH_SECONDS", 600, { min: 1, max: 86_400 }),
    timeoutMs: e.int("WEATHER_TIMEOUT_MS", 4000, { min: 10, max: 30_000 }),
    retries: e.int("WEATHER_RETRIES", 2, { min: 0, max: 5 }),
    retryBaseMs: e.int("WEATHER_RETRY_BASE_MS", 250, { min: 0, max: 10_000 }),
    forecastDays: e.int("WEATHER_FORECAST_DAYS", 3, { min: 1, max: 7 }),
    aiSummary: e.bool("WEATHER_AI_SUMMARY", false),
    summaryTimeoutMs: e.int("WEATHER_SUMMARY_TIMEOUT_MS", 8000, { min: 100, max: 60_000 }),
  };
}
