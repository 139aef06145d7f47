import { Cache, KvStore } from "stratus/cache";
import type { Place, Report } from "./schemas";
import { weatherSettings, type WeatherSettings } from "./settings";
import { OpenMeteoClient, type Fetcher } from "./upstream";

/** A city name's lookup keeps a day: places do not move; a miss is kept an hour (typos stay cheap). */
const PLACE_TTL = 86_400;
export const MISSING_TTL = 3_600;

type PlaceEntry = { place: Place | null };

/** In-flight lookups shared by every WeatherService in this isolate: concurrent misses make one call. */
const inflight = new Map<string, Promise<unknown>>();

/**
 * The upstream behind a KV cache: one forecast fetch per city per refresh
 * interval, whoever asks (the city's live component on its alarm, a page
 * rendering a cold component, the cron warm-up), and KV carries that across
 * isolates and locations.
 */
export class WeatherService {
  readonly #cache: Cache;

  constructor(
    readonly settings: WeatherSettings,
    kv: KVNamespace,
    readonly client: OpenMeteoClient = new OpenMeteoClient(settings),
    /** A function, not a captured Date.now, so a test's clock reaches it. */
    clock: () => number = () => Date.now(),
  ) {
    this.#cache = new Cache(new KvStore(kv, { clock }), { prefix: "weather:", defaultTtl: settings.refreshSeconds }, { inflight, clock });
  }

  /** The place a city slug names, or null when upstream knows none. */
  async place(city: string): Promise<Place | null> {
    const hit = await this.#cache.get<PlaceEntry>(`place:${city}`);
    if (hit) return hit.place;
    const place = await this.client.geocode(cityName(city));
    await this.#cache.put(`place:${city}`, { place } satisfies PlaceEntry, place ? PLACE_TTL : MISSING_TTL);
    return place;
  }

  /** The city's current report: from the cache while fresh, else one upstream fetch. */
  report(city: string, place: Place): Promise<Report> {
    return this.#cache.remember(`report:${city}`, this.settings.refreshSeconds, () => this.client.forecast(place));
  }
}

/** What the component, the pages and the cron build: settings and bindings from the env. */
export function weatherService(env: { CACHE: KVNamespace }, fetcher?: Fetcher): WeatherService {
  const settings = weatherSettings(env);
  return new WeatherService(settings, env.CACHE, fetcher ? new OpenMeteoClient(settings, fetcher) : undefined);
}

/** `new-york` → `new york`: what the geocoder searches for. */
export function cityName(slug: string): string {
  return slug.replace(/-/g, " ");
}

/** A city as a URL and component key: lowercase words joined by hyphens, letters of any script. */
export function citySlug(input: string): string | null {
  const slug = input.normalize("NFC").trim().toLowerCase().replace(/[\s_]+/g, "-").replace(/-+/g, "-").replace(/^-|-$/g, "");
  return /^[\p{L}\p{M}\d][\p{L}\p{M}\d'.-]{0,58}$/u.test(slug) ? slug : null;
}
