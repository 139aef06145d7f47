import { html, type Template } from "../../../worker/templating/html";
import { keyed } from "../../../worker/templating/keyed";

/** The view the fake server renders: a counter, a keyed list and a draft input, like the demo component. */
export interface DemoState {
  count: number;
  items: { id: number; text: string }[];
  draft: string;
}

export const demoView = (s: DemoState): Template =>
  html`<div class="demo"><p>Count: <output id="count">${s.count}</output></p><button id="inc" data-action="increment" data-by="1">+1</button><form id="add" data-action="add"><input id="draft" name="text" value="${s.draft}" autocomplete="off"><button>Add</button></form><ul id="items">${keyed(s.items, (i) => i.id, (i) => html`<li data-id="${i.id}" title="${i.text}"><a href="${i.text}">${i.text}</a></li>`)}</ul></div>`;
