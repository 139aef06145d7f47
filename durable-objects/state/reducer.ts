/** What recovery needs from a component: where state starts and how an event moves it. */
export interface Reducer<S, E> {
  initial(): S;
  apply(state: S, event: E): S;
}

export interface Versioned<S> {
  state: S;
  /** The seq of the last event the state includes (0 for the initial state). */
  seq: number;
}
