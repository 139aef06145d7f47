/**
 * `stratus/live`: live components. Extend `Component`, declare `actions` with
 * `action(schema, handler)`, and bind the class in wrangler.toml; the Worker's
 * `/live` route (`liveModule`) upgrades the browser's socket to it.
 */
export {
  Component,
  type ActionContext,
  type BroadcastEvent,
  type Caller,
  type ComponentOptions,
  type DispatchResult,
  type FormView,
  type PresenceAck,
  type ScheduledTask,
  type UploadedFile,
  type UploadRule,
  type Viewer,
  type ViewerScope,
} from "./component";
export { action, ActionError, submit, type ActionDefinition, type Actions, type Handler, type Issue } from "./action";
export { upcaster, type Upcaster } from "./state/upcasters";
export { child, childAction, type ChildAction, type ChildContext, type ChildDefinition } from "./viewer/child";
export type { Versioned } from "./state/reducer";
export {
  CloseCodes,
  ErrorCodes,
  PROTOCOL_VERSION,
  UPLOAD_TOKEN_HEADER,
  type ClientFrame,
  type DiffFrame,
  type Effect,
  type EffectFrame,
  type ErrorCode,
  type ModelFrame,
  type RenderFrame,
  type ServerFrame,
} from "./realtime/protocol";
export { liveModule } from "../worker/routing/live-route";
export { TopicRegistry, type TopicSubscriber } from "./cluster/topic-registry";
export type { RelayPresenceReport } from "./cluster/contracts";
export { Relay } from "./cluster/relay";
export { RelayHub } from "./cluster/hub";
export { StratusRegistry } from "./cluster/registry";
