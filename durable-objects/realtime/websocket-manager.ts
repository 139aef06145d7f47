import type { VerifiedMount } from "./caller-header";
import { parseClientFrame, peekActionId } from "./frames";
import { CloseCodes, ErrorCodes, type ClientFrame, type ErrorFrame, type PingFrame, type PresenceEntry, type ServerFrame } from "./protocol";
import { RateLimiter } from "./rate-limiter";

/** What a socket carries through hibernation (serialized, well under the 16 KB limit). */
export interface SocketAttachment {
  id: string;
  user?: string;
  /** The seq this socket was last brought to by a render or a resume; broadcasts follow from there. */
  seq: number;
  /** Said hello: receives broadcasts and counts in presence. */
  ready: boolean;
  /** Connected at, ms since the epoch. */
  at: number;
  /** The client id its hello carried (scopes its action ids when there is no user). */
  client?: string;
  /**
   * Left presence (closed by us, swept, or errored) but maybe still listed by the runtime until the
   * close handshake ends: after a wake it must not count again nor leave again.
   */
  gone?: boolean;
}

export interface SocketLimits {
  /** Largest accepted frame, in bytes. */
  maxFrameBytes: number;
  /** Frames per window per socket before the socket is closed. */
  frames: number;
  windowMs: number;
  /** A socket silent (no frame, no auto-answered ping) this long is closed. */
  heartbeatMs: number;
}

/** The exact ping text the runtime answers without waking the object. */
export const PING_TEXT = '{"type":"ping"}';
export const PONG_TEXT = '{"type":"pong"}';

const encoder = new TextEncoder();

/**
 * Sockets on the hibernation API: accept with tags, identity in the
 * attachment, runtime ping/pong, frame-size and rate limits, heartbeat sweep,
 * presence derived from attachments (so it survives hibernation).
 */
export class WebSocketManager {
  readonly #ctx: DurableObjectState;
  readonly #limits: SocketLimits;
  readonly #rate: RateLimiter<WebSocket>;
  readonly #lastSeen = new WeakMap<WebSocket, number>();
  /** Each socket's attachment as this isolate last wrote or read it: reading it back costs a deserialization per frame. */
  readonly #attached = new WeakMap<WebSocket, Readonly<SocketAttachment>>();
  #ready: Set<WebSocket> | undefined;
  /** Sockets not yet gone, kept as they come and go (counting them from the runtime's list on every connect is O(N) per connect). */
  #live: Set<WebSocket> | undefined;

  constructor(ctx: DurableObjectState, limits: SocketLimits) {
    this.#ctx = ctx;
    this.#limits = limits;
    this.#rate = new RateLimiter(limits.frames, limits.windowMs);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING_TEXT, PONG_TEXT));
  }

  accept(mount: VerifiedMount, now: number): { response: Response; socket: WebSocket; attachment: SocketAttachment } {
    const pair = new WebSocketPair();
    const client = pair[0];
    const server = pair[1];
    const attachment: SocketAttachment = { id: crypto.randomUUID(), seq: 0, ready: false, at: now, ...(mount.user !== undefined ? { user: mount.user } : {}) };
    const tags = ["live", `conn:${attachment.id}`];
    if (mount.user !== undefined) tags.push(`user:${mount.user.slice(0, 200)}`);
    this.#ctx.acceptWebSocket(server, tags);
    this.store(server, attachment);
    this.#liveSet().add(server);
    return { response: new Response(null, { status: 101, webSocket: client }), socket: server, attachment };
  }

  attachment(ws: WebSocket): Readonly<SocketAttachment> | undefined {
    const known = this.#attached.get(ws);
    if (known) return known;
    const a = (ws.deserializeAttachment() as SocketAttachment | null) ?? undefined;
    if (a) this.#attached.set(ws, a);
    return a;
  }

  /** Writes a socket's attachment (it outlives hibernation); every change goes through here. */
  store(ws: WebSocket, a: Readonly<SocketAttachment>): void {
    ws.serializeAttachment(a);
    this.#attached.set(ws, a);
  }

  /** Size, rate and liveness bookkeeping for one incoming frame; closes the socket and returns false when it must go. */
  admit(ws: WebSocket, message: string | ArrayBuffer, now: number): boolean {
    this.#lastSeen.set(ws, now);
    const size = typeof message === "string" ? (message.length * 3 <= this.#limits.maxFrameBytes ? 0 : encoder.encode(message).byteLength) : message.byteLength;
    if (size > this.#limits.maxFrameBytes) {
      // Name the action first, so the client drops it instead of resending it after every reconnect.
      const id = typeof message === "string" ? peekActionId(message) : undefined;
      const error: ErrorFrame = { type: "error", code: ErrorCodes.tooLarge, message: `Frame larger than ${this.#limits.maxFrameBytes} bytes.`, ...(id !== undefined ? { id } : {}) };
      this.send(ws, error);
      this.close(ws, CloseCodes.tooBig, `Frame larger than ${this.#limits.maxFrameBytes} bytes`);
      return false;
    }
    if (!this.#rate.hit(ws, now)) {
      this.close(ws, CloseCodes.rateLimited, "Too many frames");
      return false;
    }
    return true;
  }

  /**
   * One incoming message, as both a component and a relay take it: size, rate and liveness first,
   * a bad frame answered with its error, a ping with a pong; what is left (hello, action) is returned.
   */
  receive(ws: WebSocket, message: string | ArrayBuffer, now: number): Exclude<ClientFrame, PingFrame> | undefined {
    if (!this.admit(ws, message, now)) return undefined;
    const parsed = parseClientFrame(message);
    if (!parsed.ok) return void this.send(ws, parsed.error);
    if (parsed.frame.type === "ping") return void this.send(ws, { type: "pong" });
    return parsed.frame;
  }

  markReady(ws: WebSocket, seq: number): SocketAttachment | undefined {
    const a = this.attachment(ws);
    if (!a || a.gone) return undefined;
    const next = { ...a, ready: true, seq };
    this.store(ws, next);
    this.#readySet().add(ws);
    return a.ready ? undefined : next;
  }

  /** Sockets that said hello. Rebuilt from attachments after a wake. */
  ready(): ReadonlySet<WebSocket> {
    return this.#readySet();
  }

  send(ws: WebSocket, frame: ServerFrame | string): void {
    try {
      ws.send(typeof frame === "string" ? frame : JSON.stringify(frame));
    } catch {
      // Closed between our check and the send: the close handler cleans up.
    }
  }

  /** One serialized frame to every ready socket (one stringify, N sends). */
  broadcast(frame: ServerFrame | string, except?: WebSocket): void {
    const text = typeof frame === "string" ? frame : JSON.stringify(frame);
    for (const ws of this.#readySet()) if (ws !== except) this.send(ws, text);
  }

  /**
   * Forgets a socket for good (marked gone in its attachment, which outlives a wake); returns its
   * attachment the first time, when it was counted in presence.
   */
  drop(ws: WebSocket): SocketAttachment | undefined {
    this.#readySet().delete(ws);
    this.#liveSet().delete(ws);
    const a = this.attachment(ws);
    if (!a || a.gone) return undefined;
    try {
      this.store(ws, { ...a, ready: false, gone: true });
    } catch {
      // The runtime forgot the socket already: it is not listed after a wake either.
      this.#attached.set(ws, { ...a, ready: false, gone: true });
    }
    return a.ready ? a : undefined;
  }

  close(ws: WebSocket, code: number, reason: string): void {
    try {
      ws.close(code, reason);
    } catch {
      // Already closing.
    }
  }

  /** Up to `max` present viewers (a snapshot listing all of them would make N hellos cost N² entries). */
  presence(max: number): PresenceEntry[] {
    const out: PresenceEntry[] = [];
    for (const ws of this.#readySet()) {
      if (out.length >= max) break;
      const a = this.attachment(ws);
      if (a) out.push(entry(a));
    }
    return out;
  }

  /** Sockets not yet gone (the runtime lists closed ones until their close handshake ends). */
  count(): number {
    return this.#liveSet().size;
  }

  /** Closes sockets with no traffic within the heartbeat window; returns those that were present (to announce once). */
  sweep(now: number): SocketAttachment[] {
    const left: SocketAttachment[] = [];
    for (const ws of this.#ctx.getWebSockets()) {
      const a = this.attachment(ws);
      if (a?.gone) continue;
      const pinged = this.#ctx.getWebSocketAutoResponseTimestamp(ws)?.getTime() ?? 0;
      const seen = Math.max(this.#lastSeen.get(ws) ?? 0, pinged, a?.at ?? 0);
      if (now - seen >= this.#limits.heartbeatMs) {
        const dropped = this.drop(ws);
        this.close(ws, CloseCodes.heartbeatTimeout, "Heartbeat timeout");
        if (dropped) left.push(dropped);
      }
    }
    return left;
  }

  #liveSet(): Set<WebSocket> {
    if (!this.#live) {
      this.#live = new Set();
      for (const ws of this.#ctx.getWebSockets()) if (!this.attachment(ws)?.gone) this.#live.add(ws);
    }
    return this.#live;
  }

  #readySet(): Set<WebSocket> {
    if (!this.#ready) {
      this.#ready = new Set();
      for (const ws of this.#ctx.getWebSockets()) {
        const a = this.attachment(ws);
        if (a?.ready && !a.gone) this.#ready.add(ws);
      }
    }
    return this.#ready;
  }
}

export function entry(a: SocketAttachment): PresenceEntry {
  return a.user !== undefined ? { id: a.id, user: a.user } : { id: a.id };
}
