import { BadRequestError, defineModule, type RequestContext, type ServiceProvider } from "stratus";
import { DATABASE } from "stratus/db";
import { COMPONENT_REGISTRY, COMPONENTS, html } from "stratus/html";
import { SCHEDULER } from "stratus/schedule";
import { appEngine } from "../../app/layout";
import { popularCities, recordView } from "./popularity";
import { citySlug, weatherService } from "./service";
import type { Weather } from "./weather";

/** The crons in wrangler.toml [triggers]; the warm-up shares the 5-minute one. */
const WARM_UP_CRON = "*/5 * * * *";
/** How many of the most viewed cities the warm-up keeps in the cache. */
const WARM_UP_CITIES = 5;

type WeatherStub = Rpc.DurableObjectBranded & Pick<Weather, "ensure">;

function cityForm(value = "", error?: string) {
  return html`<form class="city-form" method="get" action="/weather"><label for="city">City</label>
<div class="row"><input id="city" name="city" value="${value}" required maxlength="60" autocomplete="address-level2" placeholder="e.g. Lisbon"><button>Show weather</button></div>
${error ? html`<p class="error" role="alert">${error}</p>` : ""}</form>`;
}

async function index(c: RequestContext) {
  const asked = c.query.get("city");
  if (asked !== null) {
    const slug = citySlug(asked);
    if (slug) return new Response(null, { status: 302, headers: { location: `/weather/${encodeURIComponent(slug)}` } });
    return appEngine.view(cityForm(asked.slice(0, 60), "Type a city name: letters, digits, spaces or hyphens, up to 60."), { title: "Weather", status: 422 });
  }
  const popular = await popularCities(c.resolve(DATABASE), 8);
  return appEngine.view(
    html`${cityForm()}${popular.length
      ? html`<h2>Most viewed</h2><ul class="cities">${popular.map((p) => html`<li><a href="/weather/${encodeURIComponent(p)}">${p}</a></li>`)}</ul>`
      : ""}`,
    { title: "Weather" },
  );
}

async function show(c: RequestContext<{ city: string }>) {
  const raw = decodeURIComponent(c.params.city);
  const slug = citySlug(raw);
  if (!slug) throw new BadRequestError(`"${raw.slice(0, 80)}" is not a city name: use letters, digits and hyphens, up to 60.`);
  if (slug !== raw) return new Response(null, { status: 301, headers: { location: `/weather/${encodeURIComponent(slug)}` } });
  const stub = c.resolve(COMPONENT_REGISTRY).stub("weather", slug) as unknown as WeatherStub;
  const status = await stub.ensure();
  if (status !== "unknown") c.ctx.waitUntil(recordView(c.resolve(DATABASE), slug).catch((err: unknown) => c.log.warn("weather view not counted", { error: err })));
  const live = c.resolve(COMPONENTS).live("weather", slug, { attrs: { class: "weather-mount" } });
  return appEngine.view(html`${live}<p class="more"><a href="/weather">Another city</a></p>`, {
    title: "Weather",
    status: status === "unknown" ? 404 : 200,
  });
}

/** The cron warm-up: the most viewed cities' forecasts fetched into the cache before their viewers ask. */
const warmUpProvider: ServiceProvider = {
  name: "weather.warm-up",
  register() {},
  boot(app) {
    app.resolve(SCHEDULER).cron(WARM_UP_CRON, "weather:warm-up", async (ctx) => {
      const service = weatherService(ctx.env);
      const cities = await popularCities(ctx.resolve(DATABASE), WARM_UP_CITIES);
      const results = await Promise.allSettled(
        cities.map(async (city) => {
          const place = await service.place(city);
          if (place) await service.report(city, place);
        }),
      );
      const failed = results.filter((r) => r.status === "rejected").length;
      ctx.log.info("weather warm-up", { cities: cities.length, failed });
    });
  },
};

/** /weather (a city form and the most viewed cities) and /weather/:city (the live Weather component). */
export const weatherModule = defineModule({
  name: "weather",
  providers: [warmUpProvider],
  routes(router) {
    router.get("/weather", index, { name: "weather.index" });
    router.get("/weather/:city", show, { name: "weather.show" });
  },
});
