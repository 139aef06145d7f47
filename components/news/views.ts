import { html, type Template } from "stratus/html";
import type { NewsStory } from "./news";

export interface NewsState {
  /** Published stories the object keeps, newest first. */
  stories: NewsStory[];
  /** Recent retractions, kept until projected to D1. */
  retracted: NewsStory[];
  /** Viewers across the cluster (presence), as of the last flush. */
  reading: number;
}

/** Stories on the front page. */
export const FRONT = 10;

const when = (ms: number) => new Date(ms).toISOString();

export function storySummary(s: { summary: string | null; tags: string[] }): Template | string {
  if (!s.summary) return html`<p class="summary pending">Summary coming…</p>`;
  return html`<p class="summary">${s.summary}</p>${s.tags.length ? html`<ul class="tags">${s.tags.map((t) => html`<li>${t}</li>`)}</ul>` : ""}`;
}

function card(s: NewsStory): Template {
  return html`<li class="story" data-id="${s.id}"><article><h2><a href="/news/${s.id}">${s.title}</a></h2>
<p class="byline">${s.author} · <time datetime="${when(s.publishedAt)}">${when(s.publishedAt).slice(0, 16).replace("T", " ")}</time>${s.updatedAt > s.publishedAt ? " · updated" : ""}</p>${storySummary(s)}</article></li>`;
}

export function newsView(s: NewsState): Template {
  const front = s.stories.slice(0, FRONT);
  return html`<section class="news"><p class="reading" aria-live="polite">${s.reading === 1 ? "1 reading now" : `${s.reading} reading now`}</p>${front.length
    ? html`<ol class="stories">${front.map(card)}</ol>`
    : html`<p class="notice">No stories yet.</p>`}</section>`;
}
