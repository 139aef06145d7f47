import * as v from "valibot";
import { aiFor } from "stratus/ai";
import { action, Component, type Caller, type ScheduledTask } from "stratus/live";
import type { Place, Report } from "./schemas";
import { MISSING_TTL, weatherService, type WeatherService } from "./service";
import { UpstreamError, type UpstreamErrorKind } from "./upstream";
import { weatherView, type WeatherState } from "./views";

type Event =
  | { type: "located"; city: string; place: Place }
  | { type: "unknown"; city: string; at: number }
  | { type: "reported"; report: Report }
  | { type: "failed"; kind: UpstreamErrorKind; message: string; at: number }
  | { type: "summarised"; fetchedAt: number; text: string };

const REFRESH = "refresh";

/**
 * One city's weather, fed by the outside world. While anyone watches (a
 * socket is connected) the object's alarm refreshes it every refresh interval
 * through the cached upstream; when the last viewer leaves the task is
 * cancelled, so an unwatched city costs no alarms and no fetches. A failed
 * refresh keeps the last good report and marks the state stale.
 */
export class Weather extends Component<Env, WeatherState, Event> {
  #service: WeatherService | undefined;
  /** The last upstream attempt (memory only): a failing upstream is tried once per interval, not once per page view. */
  #attemptedAt = 0;

  initial(): WeatherState {
    return { city: "", place: null, status: "new", report: null, error: null, summary: null, unknownAt: null };
  }

  apply(s: WeatherState, e: Event): WeatherState {
    switch (e.type) {
      case "located":
        return { ...s, city: e.city, place: e.place, status: s.status === "unknown" ? "new" : s.status, unknownAt: null };
      case "unknown":
        return { ...s, city: e.city, status: "unknown", unknownAt: e.at };
      case "reported":
        return { ...s, status: "fresh", report: e.report, error: null };
      case "failed":
        return { ...s, status: "stale", error: { kind: e.kind, message: e.message, at: e.at } };
      case "summarised":
        return { ...s, summary: { fetchedAt: e.fetchedAt, text: e.text } };
    }
  }

  actions = {
    // Pages call it (via `ensure`) before rendering a cold city; sockets cannot (see authorize).
    refresh: action(v.object({}), () => this.#refresh()),
    summarise: action(v.object({ fetchedAt: v.number(), text: v.pipe(v.string(), v.maxLength(500)) }), (s: WeatherState, a) =>
      s.report?.fetchedAt === a.fetchedAt ? [{ type: "summarised", ...a } as const] : [],
    ),
  };

  /** Both actions are the server's own: viewers only watch. */
  override authorize(caller: Caller): boolean {
    return caller.via === "rpc";
  }

  render(s: WeatherState) {
    return weatherView({ ...s, city: s.city || this.#city() });
  }

  /**
   * What a page calls before rendering: a city with no data waits for its first
   * fetch; one with old data renders at once and refreshes in the background.
   */
  async ensure(): Promise<WeatherState["status"]> {
    if (this.state.status === "new" || (this.state.status === "unknown" && this.#due())) {
      await this.dispatch(REFRESH, {}, { id: "page" });
    } else if (this.#due()) {
      this.ctx.waitUntil(this.dispatch(REFRESH, {}, { id: "page" }));
    }
    return this.state.status;
  }

  /** How many sockets watch right now (tests and the page read it). */
  watchers(): number {
    return this.stats().present;
  }

  override async onConnect(): Promise<void> {
    if (this.state.status === "unknown" || this.scheduled().some((t) => t.name === REFRESH)) return;
    const fetchedAt = this.state.report?.fetchedAt ?? 0;
    await this.schedule(new Date(Math.max(Date.now(), fetchedAt + this.#settings().refreshSeconds * 1000)), REFRESH, null, REFRESH);
  }

  override async onDisconnect(): Promise<void> {
    if (this.watchers() === 0) await this.cancelSchedule(REFRESH);
  }

  override async onAlarm(task: ScheduledTask): Promise<Event[]> {
    if (task.name !== REFRESH || this.watchers() === 0) return [];
    let events: Event[] = [];
    try {
      events = await this.#refresh();
    } catch (err) {
      // Not the upstream (a KV or code failure): the scheduler's retries would end in dropping the
      // task, and the city would stop refreshing while watched. Log it and keep the period instead.
      console.error("weather refresh failed", err);
    }
    // The events are not applied yet: a city found to be unknown just now gets no next run either.
    if (this.state.status !== "unknown" && !events.some((e) => e.type === "unknown")) await this.schedule(this.#settings().refreshSeconds * 1000, REFRESH, null, REFRESH);
    return events;
  }

  // ---- internals ----

  #city(): string {
    return this.state.city || (this.ctx.id.name ?? "");
  }

  #svc(): WeatherService {
    return (this.#service ??= weatherService(this.env));
  }

  #settings() {
    return this.#svc().settings;
  }

  #due(): boolean {
    // A name that matched nothing is asked again once the cache has forgotten the miss.
    if (this.state.status === "unknown") return Date.now() - (this.state.unknownAt ?? 0) >= MISSING_TTL * 1000;
    const last = Math.max(this.state.report?.fetchedAt ?? 0, this.#attemptedAt);
    return Date.now() - last >= this.#settings().refreshSeconds * 1000;
  }

  /** Runs inside the component's lane (an action or an alarm): one refresh at a time. */
  async #refresh(): Promise<Event[]> {
    const s = this.state;
    if (!this.#due()) return [];
    const city = this.#city();
    const out: Event[] = [];
    this.#attemptedAt = Date.now();
    try {
      let place = s.place;
      if (!place) {
        place = await this.#svc().place(city);
        if (!place) return [{ type: "unknown", city, at: Date.now() }];
        out.push({ type: "located", city, place });
      }
      const report = await this.#svc().report(city, place);
      if (report.fetchedAt !== s.report?.fetchedAt) {
        out.push({ type: "reported", report });
        this.#summarise(place, report);
      }
    } catch (err) {
      if (!(err instanceof UpstreamError)) throw err;
      // One event per outage (or change of cause), not one per retry: the log stays small while down.
      if (s.status !== "stale" || s.error?.kind !== err.kind) out.push({ type: "failed", kind: err.kind, message: err.message, at: Date.now() });
    }
    return out;
  }

  /** Starts after the report's event commits (the first await is the model call). A failure only loses the line. */
  #summarise(place: Place, r: Report): void {
    if (!this.#settings().aiSummary) return;
    this.ctx.waitUntil(
      (async () => {
        try {
          const days = r.days.map((d) => `${d.date}: ${d.min}..${d.max} °C, code ${d.code}`).join("; ");
          const out = (await aiFor(this.env).run("chat", {
            prompt: `In one short friendly sentence, summarise this forecast for ${place.name}: now ${r.temperature} °C (WMO code ${r.code}); ${days}.`,
          }, { timeoutMs: this.#settings().summaryTimeoutMs })) as { response?: unknown };
          const text = typeof out.response === "string" ? out.response.trim().slice(0, 500) : "";
          if (text) await this.dispatch("summarise", { fetchedAt: r.fetchedAt, text }, { id: "ai" });
        } catch (err) {
          console.warn("weather summary failed", err);
        }
      })(),
    );
  }
}
