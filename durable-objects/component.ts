import { DurableObject } from "cloudflare:workers";
import { HttpError } from "../worker/http/errors";
import type { Template } from "../worker/templating/html";
import type { StandardSchemaV1 } from "@standard-schema/spec";
import { ActionError, errorsByField, validateArgs, type Actions } from "./action";
import type { RelayPresenceReport } from "./cluster/contracts";
import { parsePresenceReport } from "./cluster/presence-aggregate";
import { Watching } from "./cluster/watching";
import type { Caller } from "./caller";
import type { BroadcastEvent, DispatchResult } from "./dispatch-result";
import { defaultOptions, type ComponentOptions, type ComponentOptionsOverride } from "./options";
import { DIRECT_LIMIT_HEADER, namespaceIn, RELAY_BINDING, TOPICS_BINDING, USE_RELAYS_HEADER } from "./cluster/bindings";
import { RelayLinks, seqFrameOf, type RelayAddress, type RelayTarget } from "./cluster/relay-links";
import { TopicInbox, type TopicSource } from "./cluster/topic-inbox";
import type { SeqFrame } from "./cluster/sequencer";
import { readVerifiedMount } from "./realtime/caller-header";
import { DiffBuffer } from "./realtime/diff-buffer";
import { logEpoch } from "./realtime/epoch";
import { RenderPublisher } from "./realtime/render-publisher";
import { socketsPresence, type PresenceFeed } from "./realtime/presence-feed";
import { CloseCodes, ErrorCodes, PROTOCOL_VERSION, type ErrorCode, type ErrorFrame, type HelloFrame, type RenderFrame } from "./realtime/protocol";
import { renderFailed, RenderUnavailableError, UpdateDispatcher } from "./realtime/update-dispatcher";
import { entry, WebSocketManager, type SocketAttachment, type SocketLimits } from "./realtime/websocket-manager";
import { Scheduler, type ScheduledTask } from "./scheduling/scheduler";
import { SerialLane } from "./serial-lane";
import { internalKey, rpcKey, socketKey } from "./state/action-keys";
import type { Versioned } from "./state/reducer";
import { EventShapeError, StateManager } from "./state/state-manager";
import type { Upcaster } from "./state/upcasters";
import { StagedContext } from "./viewer/action-context";
import { viewerHelper, type Viewer, type ViewerScope } from "./viewer/viewer";
import { ViewerStore, ViewerTooLargeError } from "./viewer/viewer-store";
import { Viewers } from "./viewer/viewers";
import { checkChildKey, childViewer, type ChildContext, type ChildDefinition } from "./viewer/child";
import type { ActionContext } from "./viewer/action-context";
import type { UploadCompleted, UploadStart, UploadStarted } from "./realtime/protocol";
import type { UploadResult, UploadRule } from "./uploads/upload-rules";
import { Uploads, type UploadOwner } from "./uploads/uploads";

export type { Caller } from "./caller";
export type { BroadcastEvent, DispatchResult } from "./dispatch-result";
export type { ComponentOptions, ComponentOptionsOverride } from "./options";
export type { ScheduledTask } from "./scheduling/scheduler";
export type { ActionContext } from "./viewer/action-context";
export type { FormView, Viewer, ViewerScope } from "./viewer/viewer";
export type { UploadedFile, UploadRule } from "./uploads/upload-rules";

const HEARTBEAT = "__stratus_heartbeat";
/** Drops relays that stopped reporting presence (one task, moved to the next expiry each run). */
const PRESENCE_EXPIRY = "__stratus_presence";
const RENDER_PUBLISH = "__stratus_render_publish";
/** The framework's own tasks, not listed by scheduled(). */
const INTERNAL_TASKS = new Set([HEARTBEAT, PRESENCE_EXPIRY, RENDER_PUBLISH]);
/** What `receivePresence` answers a relay. */
export type PresenceAck = { ok: true; applied: boolean; total: number } | { ok: false; code: ErrorCode; message: string };
type Events<E> = readonly E[] | void;
/** Where a fresh commit's ack goes (it rides with the commit's diff), under the id the client sent. */
type AckTo = { ws: WebSocket; id: string };
/** The acting viewer of a socket action: its key, and what the action stages for it. */
type Acting<V> = { key: string | undefined; staged: StagedContext<V> };
/** A relayed action's outcome: `shown` is the chain head including it, `after` what follows its ack (render_failed). */
export interface RelayActionAnswer {
  result: DispatchResult;
  shown: { epoch: string; seq: number } | undefined;
  after?: ErrorFrame[];
}
/** What a relay learns when it attaches: where the chain is, and the limits its sockets must enforce. */
export interface RelayAttachment {
  head?: { epoch: string; seq: number };
  limits: SocketLimits;
  /** The component's resume buffer: a relay keeps as many frames, so resumes answer as from the root. */
  resumeFrames: number;
}

function fail(code: ErrorCode, message: string, issues?: { path: string; message: string }[]): DispatchResult {
  return { ok: false, code, message, ...(issues ? { issues } : {}) };
}

/** The scope a socket's action ids live in, the same for a direct socket and a relay's viewer. */
function scopeOf(a: { id: string; user?: string; client?: string }): { user?: string; client?: string; connection: string } {
  return { ...(a.user !== undefined ? { user: a.user } : {}), ...(a.client !== undefined ? { client: a.client } : {}), connection: a.id };
}

function callerOf(a: SocketAttachment): Caller {
  return a.user !== undefined ? { id: a.id, user: a.user, via: "socket" } : { id: a.id, via: "socket" };
}

/**
 * A live component: one Durable Object per (component, key). State moves only
 * through events: an action validates, authorizes, decides events; they are
 * committed to the SQLite log, applied by the pure `apply`, rendered once and
 * diffed to every socket. Override the `on*` hooks; the platform entry points
 * (fetch, webSocket*, alarm) belong to the framework.
 *
 * Decisions run one at a time: an action handler, `onEvent` or `onAlarm` sees
 * the state every earlier decision committed, even across its own awaits (the
 * next one waits until its events are committed). Never await another action
 * of this object inside one; start long work with `ctx.waitUntil`. Events are
 * JSON: `apply` gets each event as stored (live and on recovery alike).
 */
export abstract class Component<Env = unknown, State = unknown, Event extends { type: string } = { type: string }, V = undefined> extends DurableObject<Env> {
  abstract initial(): State;
  /** Pure: no I/O, no clock, no randomness (recovery replays it). */
  abstract apply(state: State, event: Event): State;
  abstract readonly actions: Actions<State, Event, V>;
  /**
   * The markup for `state`. Parts that depend on the viewer go through `viewer` (`viewer.slot`,
   * `viewer.field`, `viewer.errors`): the rest is rendered and diffed once per commit.
   */
  abstract render(state: State, viewer: Viewer<V>): Template;
  /** Each viewer's state when it first connects (a draft, a selected tab); never broadcast, never logged. */
  initialViewer(): V {
    return undefined as V;
  }
  /** Whose viewer state: one page's connection (kept across its reconnects) or one user across tabs. */
  viewerScope: ViewerScope = "connection";
  /** Validates bound form fields on `model` frames that ask for it (any Standard Schema). */
  form: StandardSchemaV1 | undefined = undefined;
  /** Upload fields: the types and sizes each accepts (files go to the R2 binding UPLOADS). */
  uploads: Record<string, UploadRule> = {};
  /** Tuning; see ComponentOptions for the defaults. */
  options: ComponentOptionsOverride = {};
  /** Migrations of old event shapes, applied when the log is read. */
  upcasters: readonly Upcaster[] = [];

  #state!: StateManager<State, Event>;
  #sockets!: WebSocketManager;
  /** Joins and leaves of the direct sockets, to those sockets: one frame per window, not one per join. */
  #presence!: PresenceFeed;
  #updates!: UpdateDispatcher;
  #scheduler!: Scheduler;
  #opts!: ComponentOptions;
  #watching!: Watching;
  #viewers!: Viewers<V>;
  #uploads!: Uploads;
  /** Child components by key, with the props the last render gave them (what their actions see). */
  readonly #children = new Map<string, { def: ChildDefinition<unknown, unknown>; props: unknown }>();
  #relays!: RelayLinks;
  /** Topic entries from the registries this instance is subscribed at (made on the first one). */
  #topics: TopicInbox | undefined;
  #publisher: RenderPublisher | undefined;
  readonly #inflight = new Map<string, Promise<DispatchResult>>();
  /** Decisions (handler, onEvent, onAlarm) and their commits run one at a time. */
  readonly #lane = new SerialLane();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(async () => {
      // Subclass fields (actions, options, upcasters) are assigned after super() returns.
      await Promise.resolve();
      this.#boot();
    });
  }

  // ---- hooks users override ----

  /** Whether `caller` may run `action` with these (validated) args. */
  authorize(_caller: Caller, _action: string, _args: unknown): boolean | Promise<boolean> {
    return true;
  }
  /** A socket said hello and joined presence. */
  onConnect(_caller: Caller): void | Promise<void> {}
  /** A socket that had joined left (closed, errored, or timed out). */
  onDisconnect(_caller: Caller): void | Promise<void> {}
  /** An event broadcast from the Worker (delivered at least once, handled once per id). Returned events are committed. */
  onEvent(_event: BroadcastEvent, _state: State): Events<Event> | Promise<Events<Event>> {}
  /**
   * The number watching changed (own sockets plus every relay's viewers), at most once per
   * `options.presence.flushMs`. Return an event to show it: "N watching" is state like any other,
   * so it reaches relays and resumes through the normal frame path, one frame per window.
   */
  onWatching(_total: number, _state: State): Events<Event> | Promise<Events<Event>> {}

  /**
   * A child component's action emitted `name` (child→parent). Returned events are committed with
   * the child's viewer change; `ctx` is the acting viewer's (the parent's effects, its state).
   */
  onChildEvent(_key: string, _name: string, _detail: unknown, _state: State, _ctx: ActionContext<V>): Events<Event> | Promise<Events<Event>> {}
  /** A task from `schedule()` fell due. Returned events are committed once per run. Throwing retries it with backoff. */
  onAlarm(_task: ScheduledTask, _state: State): Events<Event> | Promise<Events<Event>> {}

  // ---- helpers for subclasses ----

  /**
   * Renders a child component in this render (parent→child props). It lives in this object: its
   * actions are `data-action="<key>:<action>"`, its viewer state is kept per viewer beside this one's.
   */
  protected child<P, CV>(def: ChildDefinition<P, CV>, key: string, props: P): Template {
    this.#children.set(checkChildKey(key), { def: def as ChildDefinition<unknown, unknown>, props });
    return def.render(props, childViewer(def as ChildDefinition<unknown, CV>, key), key);
  }

  protected get state(): State {
    return this.#state.current.state;
  }
  protected get seq(): number {
    return this.#state.current.seq;
  }
  /** Viewers now: this object's present sockets plus those of every relay that reported within the TTL. */
  protected get watching(): number {
    return this.#watching.total();
  }
  /** Runs `onAlarm` with this task at `when` (a Date, or a delay in ms). Tasks share the object's one alarm. */
  protected schedule(when: Date | number, name: string, payload?: unknown, id?: string): Promise<string> {
    const at = when instanceof Date ? when.getTime() : Date.now() + when;
    return this.#scheduler.schedule(at, name, payload, id);
  }
  protected cancelSchedule(id: string): Promise<boolean> {
    return this.#scheduler.cancel(id);
  }
  protected scheduled(): ScheduledTask[] {
    return this.#scheduler.list().filter((t) => !INTERNAL_TASKS.has(t.name));
  }

  // ---- RPC from the Worker ----

  /**
   * Runs an action with the same validation and authorization as a socket frame. `id` makes it
   * idempotent within the RPC scope of `caller.user` (sockets' ids never collide with it).
   */
  dispatch(action: string, args: unknown, caller: { id?: string; user?: string } = {}, id?: string): Promise<DispatchResult> {
    const c: Caller = { id: caller.id ?? "rpc", via: "rpc", ...(caller.user !== undefined ? { user: caller.user } : {}) };
    const key = id === undefined ? undefined : rpcKey(caller.user, id);
    return this.#once(key, () => this.#execute(action, args, c, key));
  }

  /**
   * The full render a page embeds (and the seq the client resumes from). With `publish` (the
   * Worker reads published renders and found none) this root publishes its render from now on.
   */
  currentRender(publish = false): RenderFrame {
    if (publish) this.#publisher?.missed();
    return this.#updates.renderFrame();
  }

  /**
   * Delivery point of the Worker's EventDispatcher: idempotent by event id. A failure comes back
   * as `ok: false` (the broadcaster turns it into a thrown error, so a queued delivery retries).
   */
  receiveBroadcast(event: BroadcastEvent): Promise<DispatchResult> {
    const key = internalKey("broadcast", event.id);
    return this.#once(key, () => this.#lane.run(() => this.#decide(() => this.onEvent(event, this.state), key, `The broadcast handler for "${event.name.slice(0, 100)}"`)));
  }

  /**
   * Entries of a topic this instance is subscribed to, pushed by the topic root's registry (`sub`:
   * this instance's name there). In order, once, gaps fetched from the registry, the cursor kept in
   * SQLite; each entry is applied as `receiveBroadcast` (idempotent by event id).
   */
  receiveTopic(root: string, sub: string, frames: SeqFrame[]): void {
    this.#topicInbox().receive(root, sub, frames);
  }

  /** The registry's last entry for this instance (sent after each burst): a lost tail is fetched. */
  topicHead(root: string, sub: string, epoch: string, seq: number): void {
    this.#topicInbox().announce(root, sub, epoch, seq);
  }

  /** Where this instance is in a topic root's log, once every entry delivered so far is applied. */
  async topicCursor(root: string): Promise<{ epoch: string; seq: number } | undefined> {
    const inbox = this.#topicInbox();
    await inbox.settled(root);
    return inbox.cursor(root);
  }

  #topicInbox(): TopicInbox {
    this.#topics ??= new TopicInbox(
      this.ctx.storage.sql,
      (root) => namespaceIn(this.env, TOPICS_BINDING).getByName(root) as unknown as TopicSource,
      (event) => this.receiveBroadcast(event),
    );
    return this.#topics;
  }

  /**
   * A relay's presence report (the relay's `PresenceReporter` sends it). Newest version per relay
   * wins; stale and repeated reports are ignored; a relay silent for the TTL stops counting.
   */
  async receivePresence(report: RelayPresenceReport): Promise<PresenceAck> {
    const parsed = parsePresenceReport(report);
    if (!parsed.ok) return { ok: false, code: ErrorCodes.badFrame, message: parsed.message };
    const r = this.#watching.report(parsed.report);
    const next = this.#watching.nextExpiry();
    // Usually already set (entries only move later); a late report can expire sooner than the set task.
    const task = this.#scheduler.get(PRESENCE_EXPIRY);
    if (r.applied && next !== undefined && (!task || task.at > next)) await this.#scheduler.schedule(next, PRESENCE_EXPIRY, null, PRESENCE_EXPIRY);
    return { ok: true, applied: r.applied, total: r.total };
  }

  /** Time travel: the state right after `seq`, or as it was at a point in time. */
  async stateAt(point: number | Date): Promise<Versioned<State>> {
    return point instanceof Date ? this.#state.recovery.stateAtTime(point.getTime()) : this.#state.recovery.stateAt(point);
  }

  // ---- uploads, called by the Worker's /live/<c>/<k>/uploads routes after the mount token is checked ----

  uploadStart(meta: UploadStart, owner: UploadOwner, maxChunk: number): Promise<UploadResult<UploadStarted>> {
    return this.#uploads.start(this.uploads, meta, owner, maxChunk);
  }
  uploadPart(id: string, part: number, bytes: ArrayBuffer, user?: string): Promise<UploadResult<{ received: number }>> {
    return this.#uploads.part(id, part, bytes, user);
  }
  uploadComplete(id: string, user?: string): Promise<UploadResult<UploadCompleted>> {
    return this.#uploads.complete(id, user);
  }
  /** The sweep found this upload's marker expired: deleted unless an action kept it. */
  sweepUpload(id: string): Promise<"kept" | "deleted"> {
    return this.#uploads.sweep(id);
  }

  stats(): { seq: number; events: number; snapshots: number[]; sockets: number; present: number; framesSent: number; watching: number } {
    return {
      seq: this.seq,
      events: this.#state.log.count(),
      snapshots: this.#state.store.seqs(),
      sockets: this.#sockets.count(),
      present: this.#sockets.ready().size,
      framesSent: this.#updates.framesSent,
      watching: this.#watching.total(),
    };
  }

  // ---- RPC from this component's relays (durable-objects/cluster/relay.ts) ----

  /**
   * A relay joins the fan-out (idempotent: relays call it on every heartbeat). It learns the chain's
   * head to catch up to, and this component's socket limits, so its viewers meet the same ones.
   */
  relayAttach(relay: RelayAddress): RelayAttachment {
    this.#relays.attach(relay);
    const o = this.#opts;
    const head = this.#updates.head();
    return { ...(head ? { head } : {}), limits: { maxFrameBytes: o.maxFrameBytes, frames: o.rateLimit.frames, windowMs: o.rateLimit.windowMs, heartbeatMs: o.heartbeatMs }, resumeFrames: o.resumeBuffer };
  }

  relayDetach(name: string): void {
    this.#relays.detach(name);
  }

  /** A relay's gap fill or a resume older than its ring: the chain's frames after `from` (in `epoch`, from `rid`), or a render first when the resume buffer cannot prove them. */
  relayFrames(from: number | undefined, epoch?: string, rid?: string): SeqFrame[] {
    const point = from === undefined ? {} : { since: from, ...(epoch !== undefined ? { epoch } : {}), ...(rid !== undefined ? { rid } : {}) };
    return this.#updates.resume(point).frames.map(seqFrameOf);
  }

  /**
   * An action from a relay's viewer, with that viewer's identity and its id: the same idempotency
   * key as on a direct socket, so a retry through another relay is applied once. `shown` is the
   * chain head that includes the commit: the relay acks once its viewer shows it.
   */
  async relayAction(viewer: { id: string; user?: string; client?: string }, frame: { id: string; name: string; args?: unknown }): Promise<RelayActionAnswer> {
    const caller: Caller = { id: viewer.id, via: "socket", ...(viewer.user !== undefined ? { user: viewer.user } : {}) };
    const key = socketKey(scopeOf(viewer), frame.id);
    const result = await this.#once(key, () => this.#execute(frame.name, frame.args, caller, key));
    const shown = this.#updates.head();
    return { result, shown, ...(result.ok && !result.duplicate && this.#updates.renderFailedAt(result.seq) ? { after: [renderFailed(frame.id)] } : {}) };
  }

  // ---- platform entry points ----

  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return new HttpError(426, { detail: "This endpoint only accepts WebSocket upgrades.", headers: { upgrade: "websocket" } }).toResponse();
    }
    const mount = readVerifiedMount(request.headers);
    if (!mount) return new HttpError(400, { detail: "Live connections go through the Worker's /live route." }).toResponse();
    const limit = Number(request.headers.get(DIRECT_LIMIT_HEADER) ?? Number.NaN);
    if (limit >= 0 && this.#sockets.count() >= limit) {
      // Past the direct limit of a component relayed above N viewers: the Worker sends this socket through a relay.
      return new Response(null, { status: 409, headers: { [USE_RELAYS_HEADER]: "1" } });
    }
    const { response } = this.#sockets.accept(mount, Date.now());
    if (!this.#scheduler.get(HEARTBEAT)) await this.#scheduler.schedule(Date.now() + this.#opts.heartbeatMs / 2, HEARTBEAT, null, HEARTBEAT);
    return response;
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    const frame = this.#sockets.receive(ws, message, Date.now());
    if (!frame) return;
    if (frame.type === "hello") return this.#hello(ws, this.#bindClient(ws, frame));
    const a = this.#sockets.attachment(ws);
    if (!a?.ready) return this.#sockets.send(ws, { type: "error", id: frame.id, code: ErrorCodes.helloRequired, message: "Send hello before actions." });
    if (frame.type === "model") return this.#lane.run(() => this.#viewers.model(ws, frame));
    const acting = this.#viewers.key(ws);
    const key = socketKey(scopeOf(a), frame.id);
    const r = await this.#once(key, () => this.#execute(frame.name, frame.args, callerOf(a), key, { ws, id: frame.id }, acting));
    // A fresh commit's ack was queued to ride with its diff; a duplicate is acked here with its original seq.
    if (r.ok && r.duplicate) this.#sockets.send(ws, { type: "ack", id: frame.id, seq: r.seq });
    else if (!r.ok) this.#sockets.send(ws, { type: "error", id: frame.id, code: r.code, message: r.message, ...(r.issues ? { issues: r.issues } : {}) });
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    this.#sockets.close(ws, code === 1005 || code === 1006 ? 1000 : code, "closing");
    await this.#leave(ws);
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    await this.#leave(ws);
  }

  override async alarm(): Promise<void> {
    await this.#scheduler.run(
      Date.now(),
      async (task) => {
        if (task.name === HEARTBEAT) return this.#heartbeat();
        if (task.name === PRESENCE_EXPIRY) return this.#expirePresence();
        if (task.name === RENDER_PUBLISH) return this.#publisher?.publish();
        // One key per run, whatever its retries: a retry after a commit that went through is a duplicate.
        const key = internalKey("alarm", `${task.id}:${task.run}`);
        const r = await this.#once(key, () => this.#lane.run(() => this.#decide(() => this.onAlarm(task, this.state), key, `The task "${task.name}"`, true)));
        if (!r.ok) throw new Error(r.message);
      },
      (task, err) => console.error("scheduled task failed", task.name, err),
    );
  }

  // ---- internals ----

  #boot(): void {
    const o: ComponentOptions = { ...defaultOptions, ...this.options, presence: { ...defaultOptions.presence, ...this.options.presence } };
    this.#opts = o;
    const storage = this.ctx.storage;
    this.#state = new StateManager(storage, { initial: () => this.initial(), apply: (s, e) => this.apply(s, e) }, this.upcasters, {
      snapshotEvery: o.snapshotEvery,
      idempotencyTtlMs: o.idempotencyTtlMs,
      ...(o.keepSnapshots !== undefined ? { keepSnapshots: o.keepSnapshots } : {}),
    });
    this.#sockets = new WebSocketManager(this.ctx, { maxFrameBytes: o.maxFrameBytes, frames: o.rateLimit.frames, windowMs: o.rateLimit.windowMs, heartbeatMs: o.heartbeatMs });
    this.#presence = socketsPresence(() => this.#sockets, o.presence.frameMs);
    this.#scheduler = new Scheduler(storage);
    this.#viewers = new Viewers(this.ctx, this.#sockets, new ViewerStore(storage.sql, () => this.initialViewer(), o.maxViewerBytes), {
      scope: () => this.viewerScope,
      form: () => this.form,
      seq: () => this.#state.current.seq,
      ttlMs: o.viewerTtlMs,
    });
    this.#uploads = new Uploads(storage.sql, () => (this.env as { UPLOADS?: R2Bucket } | undefined)?.UPLOADS, o.uploadTtlMs);
    const helper = viewerHelper<V>();
    const source = { seq: () => this.#state.current.seq, template: () => this.render(this.#state.current.state, helper) };
    const buffer = new DiffBuffer(storage.sql, o.resumeBuffer);
    const epoch = logEpoch(storage.sql);
    this.#updates = new UpdateDispatcher(this.#sockets, source, buffer, epoch, o.flushMs, (err) => console.error("render failed", err), this.#viewers);
    this.#viewers.updates = this.#updates;
    this.#relays = new RelayLinks(storage.sql, (a) => namespaceIn<Rpc.DurableObjectBranded & RelayTarget>(this.env, a.binding ?? RELAY_BINDING, a.jurisdiction).getByName(a.name) as unknown as RelayTarget);
    const publisher = this.#renderPublisher(o.renderPublishMs);
    this.#publisher = publisher;
    this.#updates.onFrame = (frame) => {
      this.#relays.push(frame);
      publisher?.changed(frame.epoch, frame.seq);
    };
    const seq = this.#state.load().seq;
    this.#updates.wake(seq);
    publisher?.woke(epoch, seq);
    // A component that does not show the count pays no timer or render for it.
    const shows = this.onWatching !== Component.prototype.onWatching;
    this.#watching = new Watching({
      ...o.presence,
      own: () => this.#sockets.ready().size,
      ...(shows ? { announce: (total: number) => void this.#lane.run(() => this.#decide(() => this.onWatching(total, this.state), undefined, "The presence handler onWatching")) } : {}),
    });
  }

  /** The root's render publisher when the Worker reads renders from KV (`LIVE_RENDER_KV` names the binding). */
  #renderPublisher(intervalMs: number): RenderPublisher | undefined {
    const env = (this.env ?? {}) as Record<string, unknown>;
    const binding = env.LIVE_RENDER_KV;
    if (intervalMs === 0 || typeof binding !== "string" || binding === "") return undefined;
    const kv = env[binding] as KVNamespace | undefined;
    // The Worker refuses to start without it (its config check); an object only says so.
    if (!kv || typeof kv.put !== "function") return void console.error(`LIVE_RENDER_KV names "${binding}", which is not a KV binding: renders are not published`);
    return new RenderPublisher({
      kv,
      objectId: this.ctx.id.toString(),
      sql: this.ctx.storage.sql,
      render: () => this.#updates.renderFrame(),
      schedule: (at) => this.#scheduler.schedule(at, RENDER_PUBLISH, null, RENDER_PUBLISH),
      intervalMs,
    });
  }

  /** Runs `work` once per idempotency key: committed keys are acked with their seq, concurrent duplicates share the run. */
  #once(key: string | undefined, work: () => DispatchResult | Promise<DispatchResult>): Promise<DispatchResult> {
    if (key === undefined) return Promise.resolve(work());
    const seen = this.#state.committedAt(key);
    if (seen !== undefined) return Promise.resolve({ ok: true, seq: seen, duplicate: true });
    const pending = this.#inflight.get(key);
    if (pending) return pending.then((r) => (r.ok ? { ...r, duplicate: true } : r));
    const run = Promise.resolve(work()).finally(() => this.#inflight.delete(key));
    this.#inflight.set(key, run);
    return run;
  }

  /** Remembers the client id a hello carries, so its action ids keep one scope across reconnects and hibernation. */
  #bindClient(ws: WebSocket, frame: HelloFrame): HelloFrame {
    const a = frame.client === undefined ? undefined : this.#sockets.attachment(ws);
    if (a && a.client !== frame.client) {
      this.#sockets.store(ws, { ...a, client: frame.client });
      this.#viewers.rebind(ws);
    }
    return frame;
  }

  async #execute(name: string, args: unknown, caller: Caller, key: string | undefined, ackTo?: AckTo, acting?: string): Promise<DispatchResult> {
    const def = Object.hasOwn(this.actions, name) ? this.actions[name] : undefined;
    if (!def && name.includes(":")) return this.#executeChild(name, args, caller, key, ackTo, acting);
    if (!def) return fail(ErrorCodes.unknownAction, `Unknown action "${name.slice(0, 100)}".`);
    // A submit validates the viewer's whole bound form, with what the frame sent over it.
    const input = def.form && acting !== undefined ? { ...this.#viewers.store.get(acting).fields, ...(typeof args === "object" && args !== null && !Array.isArray(args) ? args : {}) } : args;
    const valid = await validateArgs(def.schema, input);
    if (!valid.ok) {
      if (def.form && acting !== undefined && ackTo) this.#viewers.showErrors(ackTo.ws, acting, errorsByField(valid.issues));
      return fail(ErrorCodes.invalidArgs, `Invalid arguments for "${name}".`, valid.issues);
    }
    if (!(await this.authorize(caller, name, valid.value))) return fail(ErrorCodes.unauthorized, `Not allowed to run "${name}".`);
    return this.#lane.run(() => {
      // The viewer as this decision starts (an earlier one in the lane may have changed it).
      const staged = new StagedContext(acting !== undefined ? this.#viewers.store.get(acting) : this.#viewers.store.initial(), (id) => this.#uploads.find(id, caller.user));
      const viewer = { key: acting, staged };
      return this.#decide(() => def.handler(this.state, valid.value, caller, staged), key, `The action "${name}"`, false, ackTo, viewer);
    });
  }

  /** `<child key>:<action>`: the child's handler on its props, then the parent's onChildEvent for what it emitted. */
  async #executeChild(name: string, args: unknown, caller: Caller, key: string | undefined, ackTo?: AckTo, acting?: string): Promise<DispatchResult> {
    // The children are known from a render: make sure there is one since the object woke.
    this.#updates.baseline();
    const at = name.indexOf(":");
    const entry = this.#children.get(name.slice(0, at));
    const action = entry && Object.hasOwn(entry.def.actions, name.slice(at + 1)) ? entry.def.actions[name.slice(at + 1)] : undefined;
    if (!entry || !action) return fail(ErrorCodes.unknownAction, `Unknown action "${name.slice(0, 100)}".`);
    const valid = await validateArgs(action.schema, args);
    if (!valid.ok) return fail(ErrorCodes.invalidArgs, `Invalid arguments for "${name}".`, valid.issues);
    if (!(await this.authorize(caller, name, valid.value))) return fail(ErrorCodes.unauthorized, `Not allowed to run "${name}".`);
    const childKey = name.slice(0, at);
    return this.#lane.run(() => {
      const staged = new StagedContext(acting !== undefined ? this.#viewers.store.get(acting) : this.#viewers.store.initial(), (id) => this.#uploads.find(id, caller.user));
      const emitted: { name: string; detail: unknown }[] = [];
      const ctx: ChildContext<unknown> = {
        get viewer() {
          return staged.childState(childKey, () => entry.def.initialViewer());
        },
        setViewer: (next) => staged.setChildState(childKey, typeof next === "function" ? (next as (c: unknown) => unknown)(ctx.viewer) : next),
        emit: (n, detail) => void emitted.push({ name: String(n), detail }),
      };
      const run = async (): Promise<readonly Event[]> => {
        await action.handler(entry.props, valid.value as never, caller, ctx);
        const events: Event[] = [];
        for (const e of emitted) events.push(...((await this.onChildEvent(childKey, e.name, e.detail, this.state, staged)) ?? []));
        return events;
      };
      return this.#decide(run, key, `The action "${name.slice(0, 100)}"`, false, ackTo, { key: acting, staged });
    });
  }

  /**
   * Runs a handler on the current state and commits what it returns; called inside the lane, so an
   * async handler's awaits hold back the next decision. A sync handler commits with no promise.
   */
  #decide(
    handler: () => Events<Event> | Promise<Events<Event>>,
    key: string | undefined,
    /** Names the handler in logs and in the caller's error message ("The action \"add\""). */
    what: string,
    rethrow = false,
    ackTo?: AckTo,
    acting?: Acting<V>,
  ): DispatchResult | Promise<DispatchResult> {
    const failed = (err: unknown): DispatchResult => {
      if (rethrow) throw err;
      if (!(err instanceof ActionError)) console.error(`${what} failed`, err);
      return fail(ErrorCodes.actionFailed, err instanceof ActionError ? err.message : `${what} failed.`);
    };
    let out: Events<Event> | Promise<Events<Event>>;
    try {
      out = handler();
    } catch (err) {
      return failed(err);
    }
    if (out instanceof Promise) return out.then((events) => this.#commit(events ?? [], key, ackTo, acting), failed);
    return this.#commit(out ?? [], key, ackTo, acting);
  }

  #commit(events: readonly Event[], key: string | undefined, ackTo?: AckTo, acting?: Acting<V>): DispatchResult {
    // Over RPC there is no viewer to change: only the uploads an action keeps count.
    const record = acting?.key !== undefined ? acting.staged.record : undefined;
    const kept = acting?.staged.kept ?? [];
    let json: string | undefined;
    try {
      if (record) json = this.#viewers.store.check(record);
      // An action that set the viewer to what it was (a reset of an empty form) writes and re-renders nothing.
      if (json !== undefined && this.#viewers.store.holds(acting!.key!, json)) json = undefined;
    } catch (err) {
      if (!(err instanceof ViewerTooLargeError)) throw err;
      return fail(ErrorCodes.actionFailed, `The action's viewer state was refused: ${err.message}`);
    }
    this.#updates.baseline();
    let seq: number;
    const now = Date.now();
    try {
      // Throws only when nothing was committed: a snapshot failure after the write is the state layer's to log and retry.
      // The viewer's new state is written in the same transaction: a retried action id changes it once.
      seq = this.#state.commit(events, key, now, json === undefined && kept.length === 0 ? undefined : () => {
        if (json !== undefined) this.#viewers.store.write(acting!.key!, json, now);
        this.#uploads.keep(kept);
      });
    } catch (err) {
      console.error("commit failed", err);
      return fail(ErrorCodes.actionFailed, err instanceof EventShapeError ? err.message : "The action's events could not be committed.");
    }
    if (kept.length > 0) this.ctx.waitUntil(this.#uploads.unmark(kept).catch((err) => console.error("upload markers not deleted; the sweep will ask", err)));
    if (ackTo) {
      this.#updates.ack(ackTo.ws, { type: "ack", id: ackTo.id, seq }, true);
      for (const effect of acting?.staged.effects ?? []) this.#updates.ack(ackTo.ws, { type: "effect", id: ackTo.id, effect }, true);
      if (json !== undefined) this.#viewers.changed(ackTo.ws, acting!.key!);
    }
    // A socket's action: its ack above asked for the frame already.
    else if (events.length > 0) this.#updates.notify();
    return { ok: true, seq, duplicate: false };
  }

  async #hello(ws: WebSocket, frame: HelloFrame): Promise<void> {
    if (frame.v !== PROTOCOL_VERSION) return this.#sockets.close(ws, CloseCodes.badVersion, `Protocol v${PROTOCOL_VERSION} only`);
    let seq = this.seq;
    try {
      const resumed = this.#updates.resume(frame, ws);
      for (const text of resumed.frames) this.#sockets.send(ws, text);
      seq = resumed.seq;
    } catch (err) {
      if (!(err instanceof RenderUnavailableError)) throw err;
      // Joins anyway: the first render that succeeds reaches every ready socket whole.
      this.#sockets.send(ws, { type: "error", code: ErrorCodes.renderFailed, message: err.message });
    }
    this.#viewers.joined(ws, Date.now());
    const joined = this.#sockets.markReady(ws, seq);
    this.#sockets.send(ws, this.#presence.snapshot());
    if (joined) {
      this.#watching.changed();
      this.#presence.join(entry(joined));
      await this.onConnect(callerOf(joined));
    }
  }

  async #leave(ws: WebSocket): Promise<void> {
    this.#viewers.left(ws);
    const left = this.#sockets.drop(ws);
    if (left) await this.#announceLeave(left);
  }

  /** Once per socket: `drop` marks it gone in its attachment, so a wake does not count or announce it again. */
  async #announceLeave(left: SocketAttachment): Promise<void> {
    this.#watching.changed();
    this.#presence.leave(left.id);
    await this.onDisconnect(callerOf(left));
  }

  async #expirePresence(): Promise<void> {
    const next = this.#watching.expire();
    if (next !== undefined) await this.#scheduler.schedule(next, PRESENCE_EXPIRY, null, PRESENCE_EXPIRY);
  }

  async #heartbeat(): Promise<void> {
    const now = Date.now();
    for (const left of this.#sockets.sweep(now)) await this.#announceLeave(left);
    this.#viewers.sweep(now);
    if (this.#sockets.ready().size > 0 || this.#sockets.count() > 0) {
      await this.#scheduler.schedule(Date.now() + this.#opts.heartbeatMs / 2, HEARTBEAT, null, HEARTBEAT);
    }
  }
}
