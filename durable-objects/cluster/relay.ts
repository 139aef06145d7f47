/**
 * The relay Durable Object: viewer sockets (hibernatable, the same wire
 * protocol as the component itself) fed by its root's pushes through a
 * RelayCore. It keeps no frames in storage, only what it needs to wake up:
 * whom it relays (its setup) and the head its viewers were last brought to.
 * Actions go to the root with the viewer's identity and id; the ack comes back
 * to that viewer once it shows the commit. Its alarm is its heartbeat: report
 * to the registry, re-announce itself to the root (which also exposes a lost
 * tail), sweep silent sockets; with no viewers left it detaches and sleeps.
 */
import { DurableObject } from "cloudflare:workers";
import { HttpError } from "../../worker/http/errors";
import { defaultOptions } from "../options";
import type { RelayActionAnswer, RelayAttachment } from "../component";
import { readVerifiedMount } from "../realtime/caller-header";
import { CloseCodes, ErrorCodes, PROTOCOL_VERSION, type ClientFrame, type PresenceEntry } from "../realtime/protocol";
import { entry, WebSocketManager, type SocketLimits } from "../realtime/websocket-manager";
import { namespaceIn, REGISTRY_BINDING, RELAY_FULL_HEADER, RELAY_HEADER, registryName, type RelaySetup } from "./bindings";
import type { RelayHeartbeat } from "./contracts";
import type { FrameRingOptions } from "./frame-ring";
import { SharedCall } from "./parent-backoff";
import { RelayCore, type RelayHead } from "./relay-core";
import type { RelayAddress } from "./relay-links";
import type { PresenceAck } from "../component";
import type { RelayPresenceReport } from "./contracts";
import { CorkedSends } from "./corked-sends";
import { PresenceReporter } from "./presence-reporter";
import { socketsPresence, type PresenceFeed } from "../realtime/presence-feed";
import { ObjectState } from "./object-state";
import { parentOf } from "./parent";
import type { SeqFrame } from "./sequencer";

/** The root as a relay calls it (Component's relay RPC). */
interface RootApi {
  relayAttach(relay: RelayAddress): Promise<RelayAttachment>;
  relayDetach(name: string): Promise<void>;
  relayFrames(from: number | undefined, epoch?: string, rid?: string): Promise<SeqFrame[]>;
  relayAction(viewer: { id: string; user?: string; client?: string }, frame: { id: string; name: string; args?: unknown }): Promise<RelayActionAnswer>;
  receivePresence(report: RelayPresenceReport): Promise<PresenceAck>;
}

/** The registry as a relay calls it (registry.ts). */
export interface RegistryApi {
  heartbeat(beat: RelayHeartbeat, jurisdiction?: DurableObjectJurisdiction, heartbeatMs?: number): Promise<void>;
  forget(relay: string): Promise<void>;
}

/** Recent frames kept for resume: as many as the root keeps (its resumeBuffer), bounded in bytes since relays share an isolate's 128 MB. */
export function ringOptions(frames: number): FrameRingOptions {
  return { maxFrames: frames, maxBytes: 8 * 1024 * 1024 };
}

/** Past this, a pending report waits for the alarm's keepalive poll instead of a timer. */
const PRESENCE_KEEPALIVE_GAP = 5000;

/** How long a hello waits for the viewer's first frame before joining anyway (its frames follow when the root answers). */
const JOIN_WAIT_MS = 5000;

export class Relay extends DurableObject {
  #sockets: WebSocketManager;
  readonly #core: RelayCore<WebSocket>;
  /** What one push delivers leaves as one message per viewer. */
  readonly #sends = new CorkedSends<WebSocket>((ws, text) => this.#sockets.send(ws, text));
  #setup: RelaySetup | undefined;
  #attached: boolean;
  /** Hellos still catching their socket up. */
  readonly #joining = new WeakMap<WebSocket, Promise<void>>();
  /** This instance has heard the root's head (false after every wake). */
  #synced = false;
  /** A connect's attach in flight, shared by the connects meanwhile. */
  readonly #attaching = new SharedCall();
  #limits: SocketLimits;
  /** Whom it relays, whether attached, the root's limits and ring size, the delivered head (SQLite). */
  readonly #state: ObjectState;
  /**
   * The relay is the only writer of its viewers' presence: the reporter batches joins and leaves into
   * at most one report to the root per interval (made once the relay knows its root).
   */
  #presence: PresenceReporter | undefined;
  /** Its viewers' presence frames to its viewers (the relay's own, one frame per window). */
  readonly #viewersPresence: PresenceFeed;
  /** A report is due after a change: polled from a short timer, the keepalive from the alarm (no timer keeps an idle relay awake). */
  #presenceTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    super(ctx, env);
    this.#state = new ObjectState(ctx.storage.sql, "_stratus_relay");
    this.#setup = this.#read<RelaySetup>("setup");
    this.#attached = this.#read<boolean>("attached") ?? false;
    const start = this.#read<RelayHead>("head");
    // The root's limits, learned on attach; the framework's defaults until then.
    this.#limits = this.#read<SocketLimits>("limits") ?? { maxFrameBytes: defaultOptions.maxFrameBytes, ...defaultOptions.rateLimit, heartbeatMs: defaultOptions.heartbeatMs };
    this.#sockets = new WebSocketManager(ctx, this.#limits);
    this.#viewersPresence = socketsPresence(() => this.#sockets, defaultOptions.presence.frameMs);
    this.#core = new RelayCore<WebSocket>(
      {
        fetchRange: (from, _to, rid) => this.#root().relayFrames(from, this.#core.head?.epoch, rid),
        send: (ws, text) => this.#sends.send(ws, text),
        onHead: (head) => this.#headMoved(head),
        onError: (err) => console.error("relay: fetching from the root failed", err),
      },
      // Retries after a failed root call run on setTimeout (the default clock): a pending timer, like a
      // call in flight, keeps the object from hibernating, so viewers parked on a retry are not lost to
      // an eviction; they wait at most MAX_PARK_MS (resume-lane.ts), then get a render.
      { ring: ringOptions(this.#read<number>("ring") ?? defaultOptions.resumeBuffer), ...(start ? { start } : {}) },
    );
    // Woken from hibernation: every viewer that said hello shows the head last delivered.
    for (const ws of this.#sockets.ready()) this.#core.restore(ws);
  }

  // ---- RPC ----

  /** The root's frames, batched, in the order it sent them (the core copes with any other). */
  push(frames: SeqFrame[]): void {
    this.#sends.corked(() => this.#core.ingest(frames));
  }

  /** The registry gave up on this relay: its viewers reconnect (4011) and resume on another. */
  async drop(): Promise<void> {
    for (const ws of this.ctx.getWebSockets()) {
      this.#leave(ws);
      this.#sockets.close(ws, CloseCodes.relayDropped, "Relay dropped");
    }
    await this.#detach(false);
  }

  stats(): { sockets: number; viewers: number; head: RelayHead | undefined; rangeFetches: number; renderFetches: number; resumeFetches: number; parked: number; attached: boolean } {
    const c = this.#core;
    return { sockets: this.#sockets.count(), viewers: c.viewers, head: c.head, rangeFetches: c.rangeFetches, renderFetches: c.renderFetches, resumeFetches: c.resumeFetches, parked: c.parked, attached: this.#attached };
  }

  // ---- platform entry points ----

  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return new HttpError(426, { detail: "This endpoint only accepts WebSocket upgrades.", headers: { upgrade: "websocket" } }).toResponse();
    }
    const mount = readVerifiedMount(request.headers);
    const setup = readSetup(request.headers.get(RELAY_HEADER));
    if (!mount || !setup || mount.component !== setup.component || mount.key !== setup.key) {
      return new HttpError(400, { detail: "Relayed connections go through the Worker's /live route." }).toResponse();
    }
    // The hint it was created with stays its location (hints are honoured on creation only).
    const next: RelaySetup = { ...setup, ...(this.#setup?.location ? { location: this.#setup.location } : {}) };
    if (JSON.stringify(next) !== JSON.stringify(this.#setup)) this.#write("setup", (this.#setup = next));
    if (this.#sockets.count() >= next.capacity) return refuse();
    // Attached first (and, once per wake, caught up to the root's head: a push may have been lost with
    // the previous instance): the socket is accepted with the root's limits at the current head.
    const fresh = !this.#attached || !this.#synced;
    if (fresh) await this.#connectAttach();
    const { response } = this.#sockets.accept(mount, Date.now());
    if (fresh) await this.#report();
    return response;
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    const frame = this.#sockets.receive(ws, message, Date.now());
    if (!frame) return;
    if (frame.type === "hello") return this.#hello(ws, frame);
    if (frame.type === "model") {
      // Viewer state lives in the root's SQLite, per socket: a component that binds fields keeps its sockets on its object.
      return this.#sockets.send(ws, { type: "error", id: frame.id, code: ErrorCodes.unknownType, message: "Bound fields are served by the component's own object, not by a relay: route this component without relays." });
    }
    await this.#action(ws, frame);
  }

  override webSocketClose(ws: WebSocket, code: number): void {
    this.#sockets.close(ws, code === 1005 || code === 1006 ? 1000 : code, "closing");
    this.#leave(ws);
  }

  override webSocketError(ws: WebSocket): void {
    this.#leave(ws);
  }

  override async alarm(): Promise<void> {
    const swept = this.#sockets.sweep(Date.now());
    for (const a of swept) this.#left(a.id);
    if (this.#sockets.count() === 0) {
      // Its last count (zero) goes up before it detaches, so the root stops counting it at once.
      await this.#presence?.flush();
      return this.#detach(true);
    }
    await this.#beat();
    this.#core.retry();
    const presence = this.#reporter();
    presence?.resync(this.#sockets.ready().size);
    await presence?.poll();
  }

  // ---- internals ----

  async #hello(ws: WebSocket, frame: Extract<ClientFrame, { type: "hello" }>): Promise<void> {
    if (frame.v !== PROTOCOL_VERSION) return this.#sockets.close(ws, CloseCodes.badVersion, `Protocol v${PROTOCOL_VERSION} only`);
    const a = this.#sockets.attachment(ws);
    if (a && frame.client !== undefined && a.client !== frame.client) this.#sockets.store(ws, { ...a, client: frame.client });
    // As from the root: the frames that catch the viewer up come before the presence list. Actions
    // the client sent right after its hello (its outbox) wait for it instead of meeting hello_required.
    const joined = within(this.#core.join(ws, frame), JOIN_WAIT_MS);
    this.#joining.set(ws, joined);
    await joined;
    this.#joining.delete(ws);
    const ready = this.#sockets.markReady(ws, this.#core.head?.seq ?? 0);
    this.#sockets.send(ws, this.#viewersPresence.snapshot());
    if (ready) {
      this.#viewersPresence.join(entry(ready));
      this.#presenceChanged([entry(ready)], []);
    }
  }

  async #action(ws: WebSocket, frame: Extract<ClientFrame, { type: "action" }>): Promise<void> {
    await this.#joining.get(ws);
    const a = this.#sockets.attachment(ws);
    if (!a?.ready) return this.#sockets.send(ws, { type: "error", id: frame.id, code: ErrorCodes.helloRequired, message: "Send hello before actions." });
    let answer: Awaited<ReturnType<RootApi["relayAction"]>>;
    try {
      answer = await this.#root().relayAction({ id: a.id, ...(a.user !== undefined ? { user: a.user } : {}), ...(a.client !== undefined ? { client: a.client } : {}) }, { id: frame.id, name: frame.name, args: frame.args });
    } catch (err) {
      // It may or may not have committed: the client resends the same id on reconnect, and the root applies it once.
      console.error("relay: forwarding an action failed", err);
      return this.#sockets.close(ws, 1011, "The component could not be reached");
    }
    const r = answer.result;
    if (!r.ok) return this.#sockets.send(ws, { type: "error", id: frame.id, code: r.code, message: r.message, ...(r.issues ? { issues: r.issues } : {}) });
    const ack = { type: "ack" as const, id: frame.id, seq: r.seq };
    if (r.duplicate) this.#sockets.send(ws, ack);
    else this.#core.ack(ws, ack, answer.shown, answer.after);
  }

  #leave(ws: WebSocket): void {
    this.#core.leave(ws);
    const left = this.#sockets.drop(ws);
    if (left) this.#left(left.id);
  }

  #left(id: string): void {
    this.#viewersPresence.leave(id);
    this.#presenceChanged([], [id]);
  }

  #presenceChanged(joins: PresenceEntry[], leaves: string[]): void {
    const presence = this.#reporter();
    if (!presence) return;
    for (const e of joins) presence.join(e);
    for (const id of leaves) presence.leave(id);
    // The sockets are the truth (the reporter may have started with some of these already counted).
    presence.resync(this.#sockets.ready().size);
    this.#pollPresenceSoon();
  }

  #reporter(): PresenceReporter | undefined {
    const setup = this.#setup;
    if (!setup) return undefined;
    this.#presence ??= new PresenceReporter({ relay: setup.relay, send: (report) => this.#root().receivePresence(report), count: this.#sockets.ready().size });
    return this.#presence;
  }

  #pollPresenceSoon(): void {
    if (this.#presenceTimer !== undefined || !this.#presence) return;
    const wait = Math.max(0, this.#presence.nextAt() - Date.now());
    this.#presenceTimer = setTimeout(() => {
      this.#presenceTimer = undefined;
      void this.#presence?.poll().then((sent) => {
        // Not due yet (another report went out meanwhile): try again when it is.
        if (!sent && this.#presence && this.#presence.nextAt() - Date.now() < PRESENCE_KEEPALIVE_GAP) this.#pollPresenceSoon();
      });
    }, wait);
  }

  /** Attach to the root (catching up to its head) and report to the registry. */
  async #beat(): Promise<void> {
    await this.#attach(false);
    await this.#report();
  }

  /**
   * A connect's attach: concurrent connects share one call, and while the root is failing (the
   * backoff the core's own root calls use) a connect fails at once instead of asking it again; the
   * browser reconnects after its own backoff. In a deploy storm every viewer reaching a detached
   * relay while the root restarted asked it once more.
   */
  #connectAttach(): Promise<void> {
    return this.#attaching.run(this.#core.backoff, () => this.#attach(true));
  }

  async #attach(waitForHead: boolean): Promise<void> {
    const setup = this.#setup;
    if (!setup) return;
    this.#synced = true;
    const { head, limits, resumeFrames } = await this.#root().relayAttach({ name: setup.relay, ...(setup.jurisdiction ? { jurisdiction: setup.jurisdiction } : {}) });
    if (resumeFrames !== this.#read<number>("ring")) this.#write("ring", resumeFrames);
    this.#core.resizeRing(ringOptions(resumeFrames));
    if (!this.#attached) this.#write("attached", (this.#attached = true));
    if (JSON.stringify(limits) !== JSON.stringify(this.#limits)) {
      this.#write("limits", (this.#limits = limits));
      this.#sockets = new WebSocketManager(this.ctx, limits);
    }
    if (head) {
      this.#core.announce(head.epoch, head.seq);
      if (waitForHead) await within(this.#core.reached(head.epoch, head.seq), JOIN_WAIT_MS);
    }
  }

  /** The heartbeat to the registry, then the next one. */
  async #report(): Promise<void> {
    const setup = this.#setup;
    if (!setup) return;
    const h = this.#core.head;
    const beat: RelayHeartbeat = {
      relay: setup.relay,
      component: setup.component,
      key: setup.key,
      sockets: this.#sockets.count(),
      capacity: setup.capacity,
      head: h ? { epoch: h.epoch, seq: h.seq } : null,
      ...(setup.location ? { location: setup.location } : {}),
      at: Date.now(),
    };
    try {
      await this.#registry(setup).heartbeat(beat, setup.jurisdiction, setup.heartbeatMs);
    } catch (err) {
      // The registry is off the data path: viewers keep their frames while it is away.
      console.error("relay: heartbeat to the registry failed", err);
    }
    // Silent sockets are swept as often as the root sweeps its own (every half heartbeat window).
    await this.ctx.storage.setAlarm(Date.now() + Math.min(setup.heartbeatMs, this.#limits.heartbeatMs / 2));
  }

  /** No viewers (or dropped): stop receiving frames and sleep; the next viewer attaches again. */
  async #detach(tellRegistry: boolean): Promise<void> {
    const setup = this.#setup;
    await this.ctx.storage.deleteAlarm();
    if (!setup || !this.#attached) return;
    this.#write("attached", (this.#attached = false));
    await this.#root().relayDetach(setup.relay).catch((err: unknown) => console.error("relay: detach failed", err));
    if (tellRegistry) await this.#registry(setup).forget(setup.relay).catch((err: unknown) => console.error("relay: registry forget failed", err));
  }

  #root(): RootApi {
    const setup = this.#setup;
    if (!setup) throw new Error("This relay has not been set up by a connection yet.");
    return parentOf(this.env, setup);
  }

  #registry(setup: RelaySetup): RegistryApi {
    return namespaceIn(this.env, REGISTRY_BINDING, setup.jurisdiction).getByName(registryName(setup.component, setup.key)) as unknown as RegistryApi;
  }

  /** One write per turn however many frames it delivered: the output gate holds the sends until it is durable. */
  #headMoved(head: RelayHead): void {
    this.#state.headMoved(head);
  }

  #read<T>(key: string): T | undefined {
    return this.#state.read<T>(key);
  }

  #write(key: string, value: unknown): void {
    this.#state.write(key, value);
  }
}

/** A socket accepted only to be closed at once with 4010, so the client knows to reconnect (routed elsewhere). */
function refuse(): Response {
  const pair = new WebSocketPair();
  pair[1].accept();
  pair[1].close(CloseCodes.relayFull, "Relay full");
  return new Response(null, { status: 101, webSocket: pair[0], headers: { [RELAY_FULL_HEADER]: "1" } });
}

/** Waits for `p`, or `ms` at most (a root that does not answer must not hold a viewer's hello forever). */
export async function within(p: Promise<void>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([p, new Promise<void>((r) => (timer = setTimeout(r, ms)))]);
  if (timer !== undefined) clearTimeout(timer);
}

function readSetup(raw: string | null): RelaySetup | undefined {
  if (!raw) return undefined;
  try {
    const s = JSON.parse(raw) as Partial<RelaySetup>;
    if (typeof s.relay !== "string" || typeof s.component !== "string" || typeof s.key !== "string" || typeof s.binding !== "string") return undefined;
    if (typeof s.capacity !== "number" || typeof s.heartbeatMs !== "number") return undefined;
    if (s.hub !== undefined && typeof s.hub !== "string") return undefined;
    return s as RelaySetup;
  } catch {
    return undefined;
  }
}
