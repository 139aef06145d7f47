import { CloseCodes, LIVE_PATH_PREFIX, PROTOCOL_VERSION, type ActionFrame, type ServerFrame } from "../durable-objects/realtime/protocol";
import { applyChange, toHtml, type Dynamic, type StaticsTable } from "../worker/templating/wire";
import { backoffDelay } from "./backoff";
import { morphInto } from "./morph";

export type LiveState = "connecting" | "open" | "offline" | "failed" | "expired";

const HEARTBEAT_MS = 25_000;
const PONG_TIMEOUT_MS = 10_000;

interface Pending {
  frame: ActionFrame;
  trigger: Element | null;
}

/**
 * One socket per component instance (component + key): every mount of that
 * instance on the page shares it. It keeps the statics table and the current
 * tree, applies render and diff frames, resumes with `since` after a drop and
 * resends unacknowledged actions with their original ids (the server applies
 * an id once, so a resend after a lost ack is harmless).
 */
export class Connection {
  readonly mounts = new Set<HTMLElement>();
  #url: string;
  #ws: WebSocket | null = null;
  #statics: StaticsTable = {};
  #tree: Dynamic | null = null;
  #seq = -1;
  #attempt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  #pongDue: ReturnType<typeof setTimeout> | undefined;
  #outbox = new Map<string, Pending>();
  #state: LiveState = "connecting";
  #stopped = false;
  /** When the mount token stops opening sockets (ms since the epoch); Infinity when unknown. */
  readonly #expiresAt: number;

  constructor(component: string, key: string, token: string) {
    this.#expiresAt = tokenExpiry(token);
    const proto = location.protocol === "https:" ? "wss:" : "ws:";
    this.#url = `${proto}//${location.host}${LIVE_PATH_PREFIX}${encodeURIComponent(component)}/${encodeURIComponent(key)}?token=${encodeURIComponent(token)}`;
    addEventListener("online", () => this.#state === "offline" && this.#reconnectNow());
  }

  get state(): LiveState {
    return this.#state;
  }

  get seq(): number {
    return this.#seq;
  }

  attach(mount: HTMLElement): void {
    this.mounts.add(mount);
    mount.dataset.liveState = this.#state;
    if (this.#tree !== null) this.#paint(mount);
  }

  connect(): void {
    this.#stopped = false;
    const ws = new WebSocket(this.#url);
    this.#ws = ws;
    this.#setState("connecting");
    ws.onopen = () => {
      // Resume from what we show; with no tree yet, ask for a full render.
      ws.send(JSON.stringify(this.#tree === null ? { type: "hello", v: PROTOCOL_VERSION } : { type: "hello", v: PROTOCOL_VERSION, since: this.#seq }));
      // Frames are ordered: actions queued while offline follow the hello.
      for (const p of this.#outbox.values()) ws.send(JSON.stringify(p.frame));
      this.#setState("open");
      this.#heartbeat = setInterval(() => this.#ping(), HEARTBEAT_MS);
    };
    ws.onmessage = (ev) => this.#receive(ev.data);
    ws.onclose = (ev) => this.#closed(ws, ev.code);
  }

  /** Queues an action; it is sent now if the socket is open, or on the next connection. */
  send(name: string, args: unknown, trigger: Element | null): string {
    const id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
    const frame: ActionFrame = { type: "action", id, name, args };
    this.#outbox.set(id, { frame, trigger });
    trigger?.setAttribute("data-live-pending", "");
    this.#pendingChanged();
    if (this.#ws?.readyState === WebSocket.OPEN) this.#ws.send(JSON.stringify(frame));
    return id;
  }

  close(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#ws?.close(1000);
  }

  #receive(data: unknown): void {
    if (typeof data !== "string") return;
    let parsed: ServerFrame | ServerFrame[];
    try {
      parsed = JSON.parse(data) as ServerFrame | ServerFrame[];
    } catch {
      return;
    }
    // A server may coalesce several frames into one message.
    for (const frame of Array.isArray(parsed) ? parsed : [parsed]) this.#frame(frame);
  }

  #frame(f: ServerFrame): void {
    clearTimeout(this.#pongDue);
    switch (f.type) {
      case "render":
        Object.assign(this.#statics, f.statics);
        this.#tree = f.dynamics;
        this.#seq = f.seq;
        this.#opened();
        this.#paintAll();
        return;
      case "diff":
        if (f.seq <= this.#seq) return; // already shown
        if (this.#tree === null || f.from !== this.#seq) return this.#resync();
        if (f.statics) Object.assign(this.#statics, f.statics);
        this.#tree = applyChange(this.#tree, f.changes);
        this.#seq = f.seq;
        this.#opened();
        this.#paintAll();
        return;
      case "ack":
        this.#settle(f.id);
        return;
      case "error":
        if (f.id !== undefined) this.#settle(f.id);
        for (const m of this.mounts) m.dispatchEvent(new CustomEvent("stratus:error", { detail: f, bubbles: true }));
        return;
      default:
        return;
    }
  }

  /** The server answered: the connection works, so the next drop starts backing off from scratch. */
  #opened(): void {
    this.#attempt = 0;
  }

  #settle(id: string): void {
    const p = this.#outbox.get(id);
    if (!p) return;
    this.#outbox.delete(id);
    p.trigger?.removeAttribute("data-live-pending");
    this.#pendingChanged();
  }

  #paintAll(): void {
    for (const m of this.mounts) this.#paint(m);
  }

  #paint(mount: HTMLElement): void {
    morphInto(mount, toHtml(this.#tree!, this.#statics));
    mount.dataset.liveSeq = String(this.#seq);
    mount.dispatchEvent(new CustomEvent("stratus:update", { detail: { seq: this.#seq }, bubbles: true }));
  }

  #ping(): void {
    if (this.#ws?.readyState !== WebSocket.OPEN) return;
    this.#ws.send('{"type":"ping"}');
    clearTimeout(this.#pongDue);
    // A half-open socket (laptop sleep, dropped NAT) never fires close: notice it ourselves.
    this.#pongDue = setTimeout(() => this.#ws?.close(4009), PONG_TIMEOUT_MS);
  }

  /** A gap in seqs: drop the socket and resume with `since`, which replays what we missed. */
  #resync(): void {
    this.#ws?.close(CloseCodes.resync);
  }

  #closed(ws: WebSocket, code: number): void {
    if (ws !== this.#ws) return;
    clearInterval(this.#heartbeat);
    clearTimeout(this.#pongDue);
    this.#ws = null;
    if (this.#stopped) return;
    if (code === CloseCodes.unauthorized || code === CloseCodes.badVersion) {
      // A new token or a new runtime needs a page load; retrying cannot help.
      this.#setState("failed");
      return;
    }
    if (Date.now() >= this.#expiresAt) {
      // The server refuses this token now (a deploy closes every socket, so old pages land here):
      // retrying cannot help. The page decides, e.g. reload on `stratus:expired`.
      this.#setState("expired");
      for (const m of this.mounts) m.dispatchEvent(new CustomEvent("stratus:expired", { bubbles: true }));
      return;
    }
    this.#setState("offline");
    this.#timer = setTimeout(() => this.connect(), backoffDelay(this.#attempt++));
  }

  #reconnectNow(): void {
    clearTimeout(this.#timer);
    this.#attempt = 0;
    if (!this.#ws) this.connect();
  }

  #setState(state: LiveState): void {
    this.#state = state;
    for (const m of this.mounts) m.dataset.liveState = state;
  }

  #pendingChanged(): void {
    for (const m of this.mounts) m.classList.toggle("live-pending", this.#outbox.size > 0);
  }
}

/** The `exp` claim of a mount token (its payload is signed, not secret). */
function tokenExpiry(token: string): number {
  try {
    const payload = token.slice(0, token.indexOf("."));
    const exp = (JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/"))) as { exp?: unknown }).exp;
    return typeof exp === "number" ? exp * 1000 : Infinity;
  } catch {
    return Infinity;
  }
}
