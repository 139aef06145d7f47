import type { StandardSchemaV1 } from "@standard-schema/spec";
import { errorsByField, validateArgs } from "../action";
import { ErrorCodes, type ModelFrame } from "../realtime/protocol";
import type { UpdateDispatcher, ViewerSource } from "../realtime/update-dispatcher";
import type { WebSocketManager } from "../realtime/websocket-manager";
import { slotArg, type SlotArg, type ViewerRecord, type ViewerScope } from "./viewer";
import { ViewerStore, ViewerTooLargeError } from "./viewer-store";

export interface ViewersConfig {
  scope(): ViewerScope;
  form(): StandardSchemaV1 | undefined;
  seq(): number;
  ttlMs: number;
}

/**
 * The viewers of one object: which record each socket shows, model frames, and telling the
 * dispatcher whose slots to re-render. The component's side of viewer state, kept out of it.
 */
export class Viewers<V> implements ViewerSource {
  readonly store: ViewerStore<V>;
  readonly #ctx: DurableObjectState;
  readonly #sockets: WebSocketManager;
  readonly #config: ViewersConfig;
  readonly #keys = new WeakMap<WebSocket, string>();
  readonly #args = new WeakMap<ViewerRecord<V>, SlotArg<V>>();
  /** Set once the dispatcher exists (it takes this object as its viewer source). */
  updates!: UpdateDispatcher;
  /** What the initial viewer's slots receive: made once, not per render (every commit renders). */
  #defaultArg: SlotArg<V> | undefined;

  constructor(ctx: DurableObjectState, sockets: WebSocketManager, store: ViewerStore<V>, config: ViewersConfig) {
    this.#ctx = ctx;
    this.#sockets = sockets;
    this.store = store;
    this.#config = config;
  }

  defaultArg(): unknown {
    return (this.#defaultArg ??= slotArg(this.store.initial()));
  }

  argFor(ws: WebSocket): unknown {
    const key = this.key(ws);
    return this.store.isDefault(key) ? null : this.#argOf(this.store.get(key));
  }

  /**
   * Which viewer record a socket shows: the user's (user scope, signed-in sockets), else the page's
   * client id (kept across its reconnects; scoped by user), else the connection's own.
   */
  key(ws: WebSocket): string {
    let key = this.#keys.get(ws);
    if (key === undefined) {
      const a = this.#sockets.attachment(ws);
      if (!a) return "s:";
      key = this.#config.scope() === "user" && a.user !== undefined ? `u:${a.user}` : a.client !== undefined ? `c:${a.user ?? ""}:${a.client}` : `s:${a.id}`;
      this.#keys.set(ws, key);
    }
    return key;
  }

  /** The socket's hello named a client id: its key follows it. */
  rebind(ws: WebSocket): void {
    this.#keys.delete(ws);
  }

  joined(ws: WebSocket, now: number): void {
    this.store.touch(this.key(ws), now);
  }

  left(ws: WebSocket): void {
    this.updates.forget(ws);
    const key = this.#keys.get(ws);
    if (key !== undefined && !key.startsWith("u:")) this.store.forget(key);
  }

  /** Every socket showing this viewer re-renders its slots (all of a user's tabs, for the user scope). */
  changed(ws: WebSocket, key: string): void {
    this.updates.viewerChanged(ws);
    if (!key.startsWith("u:")) return;
    for (const other of this.#ctx.getWebSockets(`user:${key.slice(2, 202)}`)) if (other !== ws && this.key(other) === key) this.updates.viewerChanged(other);
  }

  /** Stores a failed submit's field errors (no event: errors are the viewer's) and re-renders its slots. */
  showErrors(ws: WebSocket, key: string, errors: Record<string, string[]>): void {
    const r = this.store.get(key);
    try {
      this.store.write(key, this.store.check({ ...r, errors }), Date.now());
    } catch (err) {
      if (!(err instanceof ViewerTooLargeError)) throw err;
      return;
    }
    this.changed(ws, key);
  }

  /** A model frame: stores the fields (validated when asked), re-renders the viewer's slots, answers once. */
  async model(ws: WebSocket, frame: ModelFrame): Promise<void> {
    const key = this.key(ws);
    const r = this.store.get(key);
    const fields = { ...r.fields, ...frame.fields };
    let errors = r.errors;
    let issues: { path: string; message: string }[] | undefined;
    const schema = this.#config.form();
    if (frame.validate && schema) {
      const checked = await validateArgs(schema, fields);
      const all = checked.ok ? {} : errorsByField(checked.issues);
      // Errors show for fields this frame set and fields already showing one: not for fields the user has not reached.
      errors = {};
      for (const [field, messages] of Object.entries(all)) if (Object.hasOwn(frame.fields, field) || Object.hasOwn(r.errors, field)) errors[field] = messages;
      if (!checked.ok) issues = checked.issues.filter((i) => Object.hasOwn(errors, i.path.split("/")[1] ?? ""));
    }
    let json: string;
    try {
      json = this.store.check({ ...r, fields, errors });
    } catch (err) {
      if (!(err instanceof ViewerTooLargeError)) throw err;
      return this.#sockets.send(ws, { type: "error", id: frame.id, code: ErrorCodes.invalidArgs, message: err.message, issues: [{ path: "/", message: err.message }] });
    }
    this.store.write(key, json, Date.now());
    this.updates.ack(
      ws,
      issues && issues.length > 0
        ? { type: "error", id: frame.id, code: ErrorCodes.invalidArgs, message: "Some fields are invalid.", issues }
        : { type: "ack", id: frame.id, seq: this.#config.seq() },
    );
    this.changed(ws, key);
  }

  /** On the heartbeat: rows of viewers gone longer than the TTL. */
  sweep(now: number): void {
    const live = new Set<string>();
    for (const ws of this.#sockets.ready()) live.add(this.key(ws));
    this.store.sweep(now - this.#config.ttlMs, live);
  }

  #argOf(r: ViewerRecord<V>): SlotArg<V> {
    let arg = this.#args.get(r);
    if (!arg) {
      arg = slotArg(r);
      this.#args.set(r, arg);
    }
    return arg;
  }
}
