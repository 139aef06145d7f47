import { html, type Template } from "stratus/html";

export interface CounterState {
  count: number;
}

/** The counter's markup: `data-action` elements send actions over the component's socket. */
export const counterView = (s: CounterState): Template =>
  html`<div class="counter"><output>${s.count}</output> <button data-action="increment" data-by="1">+1</button> <button data-action="reset">Reset</button></div>`;
