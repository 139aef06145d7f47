import type { Logger } from "../http/logger";

/** Event name → payload type (any interface of payloads works as a map). */
export type EventMap = Record<string, unknown>;

/**
 * The application's events. Augment it to type the shared dispatcher:
 *
 *   declare module "stratus/events" {
 *     interface Events { "user.registered": { id: string; email: string } }
 *   }
 */
export interface Events {}

export type AppEvents = keyof Events extends never ? EventMap : Events;

export type EventName<M> = keyof M & string;

/** A pattern with `*` matching any run of characters: "*", "order.*", "*.deleted". */
export type Wildcard = `${string}*${string}`;

/** What a listener learns about the event beside its payload. */
export interface EventInfo<N extends string = string> {
  readonly id: string;
  readonly name: N;
  /** Milliseconds since the epoch. */
  readonly at: number;
  readonly requestId?: string;
  /** Bound to the event and request ids. */
  readonly log: Logger;
}

export type Listener<P, N extends string = string> = (payload: P, event: EventInfo<N>) => unknown;

/** A wildcard listener sees every matching event; narrow by `event.name`. */
export type WildcardListener<M> = (payload: M[keyof M], event: EventInfo<EventName<M>>) => unknown;

/** Which live component instance receives an event: `{ component: "news", key: "front-page" }`. */
export interface BroadcastTarget {
  component: string;
  key: string;
}

/**
 * Every live component instance subscribed to a topic (see `Topics`): `{ topic: "project.7" }`.
 * Each subscriber receives the event once, however many of its patterns match.
 */
export interface TopicTarget {
  topic: string;
}

/** The event a component's Durable Object receives over RPC (`receiveBroadcast`). */
export interface BroadcastEvent {
  id: string;
  name: string;
  payload: unknown;
  at: number;
}
