import * as v from "valibot";
import { action, Component, submit, type Viewer } from "stratus/live";
import { demoView, type DemoState } from "./views";

type Event = { type: "incremented"; by: number } | { type: "added"; id: number; text: string } | { type: "removed"; id: number } | { type: "toggled"; id: number };

const draft = v.object({ text: v.pipe(v.string(), v.trim(), v.minLength(1, "Type something first"), v.maxLength(500, "At most 500 characters")) });

/**
 * The demo page's component: a counter and a keyed list, driven by the browser runtime and the
 * e2e tests. The draft is viewer state (a bound form field), validated as it is typed.
 */
export class Demo extends Component<Env, DemoState, Event> {
  override form = draft;

  initial(): DemoState {
    return { count: 0, items: [], nextId: 1 };
  }

  apply(s: DemoState, e: Event): DemoState {
    switch (e.type) {
      case "incremented":
        return { ...s, count: s.count + e.by };
      case "added":
        return { ...s, items: [...s.items, { id: e.id, text: e.text }], nextId: e.id + 1 };
      case "removed":
        return { ...s, items: s.items.filter((i) => i.id !== e.id) };
      case "toggled":
        return { ...s, items: s.items.map((i) => (i.id === e.id ? { ...i, done: !i.done } : i)) };
    }
  }

  actions = {
    increment: action(v.object({ by: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100)) }), (_s, { by }) => [{ type: "incremented", by } as const]),
    // Ids are decided here, not in apply: apply stays pure for replay.
    // A submit: the viewer's bound draft with the submitted field over it; the draft clears for that viewer only.
    add: submit(draft, (s: DemoState, { text }, _caller, ctx) => {
      ctx.resetForm();
      return [{ type: "added", id: s.nextId ?? 1, text } as const];
    }),
    remove: action(v.object({ id: v.pipe(v.number(), v.integer()) }), (_s, { id }) => [{ type: "removed", id } as const]),
    toggle: action(v.object({ id: v.pipe(v.number(), v.integer()) }), (_s, { id }) => [{ type: "toggled", id } as const]),
  };

  render(s: DemoState, viewer: Viewer<undefined>) {
    return demoView(s, viewer);
  }

  /**
   * Development and test only (the route that calls it checks APP_ENV): resets
   * the object as an eviction or crash would, dropping memory and sockets;
   * the next request recovers it from its SQLite log.
   */
  debugEvict(): void {
    this.ctx.abort("debug eviction");
  }
}
