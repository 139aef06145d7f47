import * as v from "valibot";
import { action, Component } from "stratus/live";
import { {{camel}}View, type {{Name}}State } from "./view";

type {{Name}}Event = { type: "incremented"; by: number } | { type: "reset" };

/** A live component: one Durable Object per key, state changed only by committed events. */
export class {{Name}} extends Component<Env, {{Name}}State, {{Name}}Event> {
  initial(): {{Name}}State {
    return { count: 0 };
  }

  /** Pure: the new state from the old one and one committed event. */
  apply(s: {{Name}}State, e: {{Name}}Event): {{Name}}State {
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

  render(s: {{Name}}State) {
    return {{camel}}View(s);
  }
}
