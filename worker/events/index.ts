/** `stratus/events`: the typed event dispatcher, queued listeners and broadcasts to live components. */
export { EventDispatcher, type DispatchResult, type EventDispatchOptions, type QueuedListener } from "./dispatcher";
export { BroadcastFailedError, DurableObjectBroadcaster, LIVE_BROADCASTER, UnknownComponentError, type BroadcastOutcome, type BroadcastReceiver, type LiveBroadcaster } from "./broadcaster";
export { BROADCAST_JOB } from "./broadcast-job";
export { eventsModule } from "./module";
export { eventsProvider } from "./provider";
export { EVENTS } from "./tokens";
export { Topics, TopicError, TOPICS, TOPICS_BINDING } from "./topics";
export type { BroadcastEvent, BroadcastTarget, TopicTarget, EventInfo, EventMap, Events, Listener, Wildcard, WildcardListener } from "./types";
