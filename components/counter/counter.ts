import * as v from "valibot";
import { html } from "stratus/html";
import { action, Component } from "stratus/live";

type State = { count: number };
type Event = { type: "incremented"; by: number } | { type: "reset" };

/** The reference live component: the README's "Bind your own component" walks through binding it. */
export class Counter extends Component<Env, State, Event> {
  initial(): State {
    return { count: 0 };
  }

  apply(s: State, e: Event): State {
    switch (e.type) {
      case "incremented":
        return { count: s.count + e.by };
      case "reset":
        return { count: 0 };
    }
  }

  actions = {
    increment: action(v.object({ by: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100)) }), (_s, { by }) => [{ type: "incremented", by } as const]),
    reset: action(v.object({}), () => [{ type: "reset" } as const]),
  };

  render(s: State) {
    return html`<button data-action="increment" data-by="1">${s.count}</button>`;
  }
}
