import { html, type Template } from "stratus/html";
import { clock, day, describe } from "./conditions";
import type { Place, Report } from "./schemas";
import type { UpstreamErrorKind } from "./upstream";

export interface WeatherState {
  /** The city slug (the component's key). */
  city: string;
  place: Place | null;
  /** new: never fetched; fresh: the last fetch worked; stale: it failed, `report` is the last good one; unknown: no such city. */
  status: "new" | "fresh" | "stale" | "unknown";
  report: Report | null;
  error: { kind: UpstreamErrorKind; message: string; at: number } | null;
  /** One AI line about `report` (same fetchedAt), when enabled. */
  summary: { fetchedAt: number; text: string } | null;
  /** When the name last matched nothing (it is asked again an hour later). */
  unknownAt: number | null;
}

const ERROR_WORDS: Record<UpstreamErrorKind, string> = {
  timeout: "is not answering",
  network: "cannot be reached",
  status: "is failing",
  malformed: "sent data we could not read",
};

const round = (n: number) => Math.round(n);

function notice(s: WeatherState): Template | string {
  if (s.status !== "stale" || !s.error) return "";
  const since = clock(s.error.at);
  return s.report
    ? html`<p class="notice stale" role="status">Stale: the weather service ${ERROR_WORDS[s.error.kind]} (since ${since}). Showing the last good data, from ${clock(s.report.fetchedAt)}.</p>`
    : html`<p class="notice stale" role="status">The weather service ${ERROR_WORDS[s.error.kind]} (since ${since}). No data yet; retrying.</p>`;
}

function current(r: Report): Template {
  return html`<div class="now"><p class="temp">${round(r.temperature)}°C</p><p class="cond">${describe(r.code)}</p>
<dl class="facts"><div><dt>Feels like</dt><dd>${round(r.feelsLike)}°C</dd></div><div><dt>Humidity</dt><dd>${round(r.humidity)}%</dd></div><div><dt>Wind</dt><dd>${round(r.windKmh)} km/h</dd></div></dl></div>`;
}

function forecast(r: Report): Template {
  return html`<ol class="days">${r.days.map(
    (d) => html`<li><span class="day">${day(d.date)}</span><span class="cond">${describe(d.code)}</span><span class="range">${round(d.min)}° / ${round(d.max)}°</span><span class="rain">${d.rain === null ? "" : `${d.rain}% rain`}</span></li>`,
  )}</ol>`;
}

export function weatherView(s: WeatherState): Template {
  const title = s.place ? `${s.place.name}${s.place.country ? `, ${s.place.country}` : ""}` : s.city;
  if (s.status === "unknown") return html`<section class="weather" data-status="unknown"><h2>${s.city}</h2><p class="notice">No city by that name.</p></section>`;
  const r = s.report;
  const summary = r && s.summary && s.summary.fetchedAt === r.fetchedAt ? html`<p class="summary">${s.summary.text}</p>` : "";
  return html`<section class="weather" data-status="${s.status}"><h2>${title}</h2>${notice(s)}${r
    ? html`${current(r)}${summary}${forecast(r)}<p class="updated">Updated <time datetime="${new Date(r.fetchedAt).toISOString()}">${clock(r.fetchedAt)}</time></p>`
    : s.status === "new"
      ? html`<p class="notice">Loading…</p>`
      : ""}</section>`;
}
