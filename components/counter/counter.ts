import { z } from "zod";
import { action } from "../../durable-objects/action";
import { Component } from "../../durable-objects/component";
import { html } from "../../worker/templating/html";

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
    increment: action(z.object({ by: z.number().int().min(1).max(100) }), (_s, { by }) => [{ type: "incremented", by } as const]),
    reset: action(z.object({}), () => [{ type: "reset" } as const]),
  };

  render(s: State) {
    return html`<button data-action="increment" data-by="1">${s.count}</button>`;
  }
}
