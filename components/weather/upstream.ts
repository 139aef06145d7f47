import { exports } from "cloudflare:workers";
import * as v from "valibot";
import { forecastResponse, geocodingResponse, toPlace, toReport, type Place, type Report } from "./schemas";
import type { WeatherSettings } from "./settings";

/** Why an upstream call failed: the page names it in its stale notice. */
export type UpstreamErrorKind = "timeout" | "network" | "status" | "malformed";

export class UpstreamError extends Error {
  constructor(
    readonly kind: UpstreamErrorKind,
    message: string,
    /** Attempts made, retries included. */
    readonly attempts: number,
    readonly status?: number,
  ) {
    super(message);
    this.name = "UpstreamError";
  }
}

export type Fetcher = (request: Request) => Promise<Response>;

/** The origin a path-only upstream URL resolves against. */
const SELF = "http://stratus.internal";

/**
 * How requests leave: a URL goes out with the global fetch; a path (what
 * development and tests configure) is answered by this Worker itself, through
 * its loopback binding, so the stand-in needs no port and no second process.
 */
export function upstreamFetch(): Fetcher {
  return (request) => {
    const url = new URL(request.url);
    if (url.origin !== SELF) return fetch(request);
    return exports.default.fetch(request);
  };
}

function resolve(base: string, params: Record<string, string>): string {
  const url = new URL(base, SELF);
  for (const [k, val] of Object.entries(params)) url.searchParams.set(k, val);
  return url.toString();
}

/** Timeouts, network errors and 5xx/429 may pass; a 4xx or a bad body would come back the same. */
function retryable(err: UpstreamError): boolean {
  return err.kind === "timeout" || err.kind === "network" || (err.kind === "status" && (err.status! >= 500 || err.status === 429));
}

/**
 * A small Open-Meteo client: one timeout per attempt, retries with jittered
 * exponential backoff for timeouts, network errors and 5xx answers, and every
 * body validated before use (bad JSON or a wrong shape is a `malformed` error,
 * not retried: the same upstream would answer the same way).
 */
export class OpenMeteoClient {
  constructor(
    private readonly settings: WeatherSettings,
    private readonly fetcher: Fetcher = upstreamFetch(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /** The best match for a city name, or null when there is none. */
  async geocode(name: string): Promise<Place | null> {
    const url = resolve(this.settings.geocodingUrl, { name, count: "1", language: "en", format: "json" });
    const body = await this.#get(url, geocodingResponse);
    const first = body.results?.[0];
    return first ? toPlace(first) : null;
  }

  async forecast(place: Place, now: number = Date.now()): Promise<Report> {
    const url = resolve(this.settings.forecastUrl, {
      latitude: String(place.latitude),
      longitude: String(place.longitude),
      current: "temperature_2m,relative_humidity_2m,apparent_temperature,weather_code,wind_speed_10m",
      daily: "weather_code,temperature_2m_max,temperature_2m_min,precipitation_probability_max",
      timezone: place.timezone || "auto",
      forecast_days: String(this.settings.forecastDays),
    });
    return toReport(await this.#get(url, forecastResponse), now);
  }

  async #get<S extends v.GenericSchema>(url: string, schema: S): Promise<v.InferOutput<S>> {
    const attempts = this.settings.retries + 1;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#once(url, schema, attempt);
      } catch (err) {
        if (!(err instanceof UpstreamError) || !retryable(err) || attempt >= attempts) throw err;
        const base = this.settings.retryBaseMs * 2 ** (attempt - 1);
        await this.sleep(base / 2 + Math.random() * (base / 2));
      }
    }
  }

  async #once<S extends v.GenericSchema>(url: string, schema: S, attempt: number): Promise<v.InferOutput<S>> {
    const host = new URL(url).host;
    let res: Response;
    try {
      res = await this.fetcher(new Request(url, { headers: { accept: "application/json" }, signal: AbortSignal.timeout(this.settings.timeoutMs) }));
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
      throw new UpstreamError(timedOut ? "timeout" : "network", timedOut ? `${host} did not answer within ${this.settings.timeoutMs} ms` : `${host} unreachable: ${String(err)}`, attempt);
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new UpstreamError("status", `${host} answered ${res.status}`, attempt, res.status);
    }
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      throw new UpstreamError("malformed", `${host} sent a body that is not JSON`, attempt);
    }
    const parsed = v.safeParse(schema, body);
    if (!parsed.success) throw new UpstreamError("malformed", `${host} sent an unexpected shape: ${v.summarize(parsed.issues).slice(0, 200)}`, attempt);
    return parsed.output;
  }
}
