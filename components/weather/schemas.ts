import * as v from "valibot";

/**
 * The parts of Open-Meteo's answers the app reads, checked before use: a
 * changed or broken upstream becomes a typed error, never a page showing
 * `undefined`. Extra fields are ignored (valibot's object drops them).
 */
const finite = v.pipe(v.number(), v.finite());

export const geocodingResponse = v.object({
  // Open-Meteo leaves `results` out entirely when nothing matches.
  results: v.optional(
    v.array(
      v.object({
        name: v.string(),
        latitude: v.pipe(finite, v.minValue(-90), v.maxValue(90)),
        longitude: v.pipe(finite, v.minValue(-180), v.maxValue(180)),
        country: v.optional(v.string()),
        country_code: v.optional(v.string()),
        timezone: v.optional(v.string()),
        admin1: v.optional(v.string()),
      }),
    ),
  ),
});

const series = <T extends v.GenericSchema>(item: T) => v.pipe(v.array(item), v.minLength(1), v.maxLength(16));

export const forecastResponse = v.pipe(
  v.object({
    timezone: v.optional(v.string()),
    current: v.object({
      time: v.string(),
      temperature_2m: finite,
      relative_humidity_2m: finite,
      apparent_temperature: finite,
      weather_code: v.pipe(finite, v.integer()),
      wind_speed_10m: finite,
    }),
    daily: v.object({
      time: series(v.string()),
      weather_code: series(v.pipe(finite, v.integer())),
      temperature_2m_max: series(finite),
      temperature_2m_min: series(finite),
      precipitation_probability_max: series(v.nullable(finite)),
    }),
  }),
  v.check(
    ({ daily: d }) => [d.weather_code, d.temperature_2m_max, d.temperature_2m_min, d.precipitation_probability_max].every((s) => s.length === d.time.length),
    "daily series have different lengths",
  ),
);

export type GeocodingResponse = v.InferOutput<typeof geocodingResponse>;
export type ForecastResponse = v.InferOutput<typeof forecastResponse>;

/** A resolved city. */
export interface Place {
  name: string;
  country: string;
  latitude: number;
  longitude: number;
  timezone: string;
}

export interface DayForecast {
  date: string;
  code: number;
  max: number;
  min: number;
  /** Chance of precipitation, %, when the model gives one. */
  rain: number | null;
}

/** One upstream answer, as the app keeps and shows it. */
export interface Report {
  /** The observation time the upstream gives (local to the place, ISO without offset). */
  observedAt: string;
  temperature: number;
  feelsLike: number;
  humidity: number;
  windKmh: number;
  code: number;
  days: DayForecast[];
  /** When this answer came from upstream, ms since the epoch: the "last update" a page shows. */
  fetchedAt: number;
}

export function toPlace(r: NonNullable<GeocodingResponse["results"]>[number]): Place {
  return { name: r.name, country: r.country ?? r.country_code ?? "", latitude: r.latitude, longitude: r.longitude, timezone: r.timezone ?? "auto" };
}

export function toReport(f: ForecastResponse, fetchedAt: number): Report {
  const c = f.current;
  const d = f.daily;
  return {
    observedAt: c.time,
    temperature: c.temperature_2m,
    feelsLike: c.apparent_temperature,
    humidity: c.relative_humidity_2m,
    windKmh: c.wind_speed_10m,
    code: c.weather_code,
    days: d.time.map((date, i) => ({ date, code: d.weather_code[i]!, max: d.temperature_2m_max[i]!, min: d.temperature_2m_min[i]!, rain: d.precipitation_probability_max[i] ?? null })),
    fetchedAt,
  };
}
