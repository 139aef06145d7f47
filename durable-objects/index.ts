/**
 * `stratus/live`: live components. Extend `Component`, declare `actions` with
 * `action(schema, handler)`, and bind the class in wrangler.toml; the Worker's
 * `/live` route (`liveModule`) upgrades the browser's socket to it.
 */
export { Component, type Caller, type BroadcastEvent, type DispatchResult, type ComponentOptions, type PresenceAck, type ScheduledTask } from "./component";
export { action, ActionError, type ActionDefinition, type Actions, type Issue } from "./action";
export { upcaster, type Upcaster } from "./state/upcasters";
export type { Versioned } from "./state/reducer";
export { CloseCodes, ErrorCodes, PROTOCOL_VERSION, type ErrorCode, type RenderFrame, type DiffFrame, type ServerFrame, type ClientFrame } from "./realtime/protocol";
export { liveModule } from "../worker/routing/live-route";
export { TopicRegistry, type TopicSubscriber } from "./cluster/topic-registry";
export type { RelayPresenceReport } from "./cluster/contracts";
export { Relay } from "./cluster/relay";
export { StratusRegistry } from "./cluster/registry";
