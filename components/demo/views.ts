import { html, keyed, type Template } from "stratus/html";
import type { Viewer } from "stratus/live";

/** The demo component's state: a counter and a keyed list, shared by every viewer. */
export interface DemoState {
  count: number;
  items: { id: number; text: string; done?: boolean }[];
  nextId?: number;
}

// The checkbox is driven by the server: clicking sends `toggle`, the next render sets `checked`.
const done = (i: { id: number; done?: boolean }) =>
  i.done ? html`<input type="checkbox" class="done" data-action="toggle" data-id="${i.id}" checked>` : html`<input type="checkbox" class="done" data-action="toggle" data-id="${i.id}">`;
const item = (i: { id: number; text: string; done?: boolean }) => html`<li data-id="${i.id}" title="${i.text}">${done(i)}<a href="${i.text}">${i.text}</a></li>`;

/**
 * Its view: the counter and list that the demo page and the e2e tests drive. The draft is each
 * viewer's own (its bound form field `text`), so viewers never see each other's half-typed text.
 */
export const demoView = (s: DemoState, viewer: Viewer<undefined>): Template =>
  html`<div class="demo"><p>Count: <output id="count">${s.count}</output></p><button id="inc" data-action="increment" data-by="1">+1</button><form id="add" data-action="add"><input id="draft" name="text" value="${viewer.field("text")}" data-model="text" autocomplete="off"><span class="error" id="draft-error">${viewer.errors("text")}</span><button>Add</button></form><ul id="items">${keyed(s.items, (i) => i.id, item)}</ul></div>`;
