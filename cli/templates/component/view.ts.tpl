import { html, type Template } from "stratus/html";

export interface {{Name}}State {
  count: number;
}

/** {{Name}}'s markup: `data-action` buttons send actions over the component's socket. */
export const {{camel}}View = (s: {{Name}}State): Template =>
  html`<div class="{{kebab}}"><output>${s.count}</output> <button data-action="increment" data-by="1">+1</button> <button data-action="reset">Reset</button></div>`;
