/**
 * The live wire protocol: JSON frames, one constants file for both ends
 * (the browser runtime imports this module too). Bump PROTOCOL_VERSION on any
 * incompatible change; the server closes sockets that speak another version.
 */
import type { Change } from "../../worker/templating/diff";
import type { RenderedNode, StaticsTable } from "../../worker/templating/rendered";

export const PROTOCOL_VERSION = 1;

// client -> server
export interface HelloFrame {
  type: "hello";
  v: number;
  /** The seq the client already shows; omitted on first connect. */
  since?: number;
  /** A random id (16-128 chars) the client keeps across reconnects: scopes its action ids when the socket has no user. */
  client?: string;
  /** The epoch and render identity of what the client shows (from its last render or diff). */
  epoch?: string;
  rid?: string;
}
export interface ActionFrame {
  type: "action";
  /** Client-chosen idempotency key: a retried id is applied once and acked with its original seq. */
  id: string;
  name: string;
  args?: unknown;
}
export interface PingFrame {
  type: "ping";
}
/**
 * Sets fields of the sending viewer's form state (viewer state, never broadcast). Acked with
 * `{type:"ack", id, seq}` where seq is the current shared seq (a model frame never moves it).
 * With `validate`, the component's form schema checks the fields; errors come back as an
 * `invalid_args` error frame with `issues` AND are rendered in the view (`errors(field)`).
 * A model frame gets exactly one answer, riding with the viewer-only diff it causes: `ack` (fields
 * stored; valid, or not validated) or `error` `invalid_args` with `issues` (fields stored anyway, so
 * what the user typed is kept, but invalid); a malformed frame gets `bad_frame` and a record past the
 * component's viewer size limit `invalid_args` with one issue at path "/", both storing nothing.
 * Field values are kept as sent (strings, numbers, booleans, arrays for multiple selects).
 */
export interface ModelFrame {
  type: "model";
  id: string;
  fields: Record<string, unknown>;
  validate?: boolean;
}
export type ClientFrame = HelloFrame | ActionFrame | ModelFrame | PingFrame;

// server -> client: every state-bearing frame carries the seq of the state it shows
export interface RenderFrame {
  type: "render";
  seq: number;
  /** Names the object's event log: seqs of another epoch are not comparable. */
  epoch: string;
  /** Render identity of the tree this frame shows: a hash of its sorted statics ids. */
  rid: string;
  statics: StaticsTable;
  dynamics: RenderedNode;
}
/**
 * A diff from `from` to `seq`. A diff with `seq === from` is viewer-only: the viewer-dependent
 * slots of this socket changed and shared state did not; the client applies it on top of the seq
 * it shows. A shared commit still sends one diff per socket (from = previous seq) that includes
 * that socket's viewer-slot changes.
 * Note for clients: a diff with seq === from === the shown seq is NOT "already shown"; apply it.
 * One follows `hello` (after any render or resume diffs) when the component has viewer slots, and
 * one follows each model frame. Viewer slots travel as nodes with statics id "~v" (statics
 * ["", ""]); a diff replaces them whole.
 */
export interface DiffFrame {
  type: "diff";
  seq: number;
  /** The seq this diff applies on top of. */
  from: number;
  epoch: string;
  /** Render identity of the tree the client has after applying this diff. */
  rid: string;
  changes: Change;
  /** Statics used by the changes that the state at `from` did not have. */
  statics?: StaticsTable;
}
export interface AckFrame {
  type: "ack";
  id: string;
  seq: number;
}
export interface ErrorFrame {
  type: "error";
  id?: string;
  code: ErrorCode;
  message: string;
  /** Field-level details for invalid_args. */
  issues?: { path: string; message: string }[];
}
/**
 * The viewers of the object a socket is on (a root's direct sockets, or one relay's). `count` is
 * exact; the entries are samples, at most 32 each: `list` (after hello) is everyone while there are
 * at most 32, `joins`/`leaves` are what changed since the previous presence frame (at most one per
 * window, so a join storm is one frame, not one per join). Keep entries in a map by id: a join may
 * repeat one the list already had.
 */
export interface PresenceFrame {
  type: "presence";
  count: number;
  joins?: PresenceEntry[];
  leaves?: string[];
  /** Sent after hello: up to 32 present viewers. */
  list?: PresenceEntry[];
}
export interface PresenceEntry {
  id: string;
  user?: string;
  meta?: Record<string, unknown>;
}
export interface PongFrame {
  type: "pong";
}
/** A server-driven effect, sent to the acting viewer only (id: the action or model frame that caused it). */
export interface EffectFrame {
  type: "effect";
  id?: string;
  effect: Effect;
}
export type Effect =
  | { kind: "redirect"; url: string }
  | { kind: "navigate"; url: string }
  | { kind: "flash"; level: FlashLevel; message: string }
  | { kind: "event"; name: string; detail?: unknown };
export type FlashLevel = "info" | "success" | "error";
export type ServerFrame = RenderFrame | DiffFrame | AckFrame | ErrorFrame | PresenceFrame | PongFrame | EffectFrame;

export const ErrorCodes = {
  badFrame: "bad_frame",
  unknownType: "unknown_type",
  unknownAction: "unknown_action",
  /** Bad action args, and field validation of a `model` frame with validate (issues per field). */
  invalidArgs: "invalid_args",
  unauthorized: "unauthorized",
  actionFailed: "action_failed",
  helloRequired: "hello_required",
  /** The action frame exceeded the size limit; sent (with the action's id) right before a 1009 close. */
  tooLarge: "too_large",
  /** The action committed but its render threw: the last good render stays; the ack is sent too. */
  renderFailed: "render_failed",
} as const;
export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/** WebSocket close codes (4000-4999 are the application's to define). */
export const CloseCodes = {
  /** Frame larger than the limit (RFC 6455's "message too big"); an `error` frame `too_large` precedes it. */
  tooBig: 1009,
  /** Protocol version the server does not speak. */
  badVersion: 4000,
  /** Mount token missing, forged, expired or for another component. */
  unauthorized: 4001,
  /** Too many frames too fast. */
  rateLimited: 4008,
  /** No traffic within the heartbeat window. */
  heartbeatTimeout: 4009,
  /** A relay at capacity refuses the socket: the client reconnects at once (no backoff), with `since`, and is routed elsewhere. */
  relayFull: 4010,
  /** The registry dropped this socket's relay: the client reconnects at once, with `since`, and resumes on another relay. */
  relayDropped: 4011,
  /** Sent by the client when a diff does not follow the seq it shows; it reconnects with `since`. */
  resync: 4099,
} as const;

/** Path the Worker upgrades on: /live/<component>/<key>. */
export const LIVE_PATH_PREFIX = "/live/";

/**
 * Uploads go over HTTP through the Worker to the R2 binding `UPLOADS`, authorised by the mount token:
 *   POST /live/<c>/<k>/uploads                  JSON UploadStart -> UploadStarted
 *   PUT  /live/<c>/<k>/uploads/<id>/<part>       raw bytes, parts numbered from 1, each chunkSize bytes but the last
 *   POST /live/<c>/<k>/uploads/<id>/complete     -> UploadCompleted
 * An action then references the upload by id. Bad type, size or token: 4xx problem+json.
 */
export const UPLOADS_SEGMENT = "uploads";
export const UPLOAD_TOKEN_HEADER = "x-stratus-token";
export interface UploadStart {
  name: string;
  type: string;
  size: number;
  /** The component's upload field (its declared accept types and size limit apply). */
  field: string;
}
export interface UploadStarted {
  id: string;
  chunkSize: number;
}
export interface UploadCompleted {
  id: string;
  name: string;
  type: string;
  size: number;
}
