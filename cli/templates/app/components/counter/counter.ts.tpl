import * as v from "valibot";
import { action, Component } from "stratus/live";
import { counterView, type CounterState } from "./view";

type CounterEvent = { type: "incremented"; by: number } | { type: "reset" };

/** A live component: one Durable Object per key; state changes only through committed events. */
export class Counter extends Component<Env, CounterState, CounterEvent> {
  initial(): CounterState {
    return { count: 0 };
  }

  /** Pure: the next state from the last one and one committed event. */
  apply(s: CounterState, e: CounterEvent): CounterState {
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

  render(s: CounterState) {
    return counterView(s);
  }
}
