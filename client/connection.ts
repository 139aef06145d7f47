import { CloseCodes, LIVE_PATH_PREFIX, PROTOCOL_VERSION, type ActionFrame } from "../durable-objects/realtime/protocol";
import { applyChange, toHtml, type Dynamic, type StaticsTable } from "../worker/templating/wire";
import { backoffDelay } from "./backoff";
import { MAX_ACTION_BYTES, type HelloFrame, type ServerFrame } from "./frames";
import { morphInto } from "./morph";
import { refreshDelay, refreshToken, tokenExpiry } from "./token";

export type LiveState = "connecting" | "open" | "offline" | "failed" | "expired";

const HEARTBEAT_MS = 25_000;
const PONG_TIMEOUT_MS = 10_000;

interface Pending {
  frame: ActionFrame;
  trigger: Element | null;
  onAck?: () => void;
}

/**
 * One socket per component instance (component + key): every mount of that
 * instance on the page shares it. It keeps the statics table and the current
 * tree, applies render and diff frames, resumes with `since` after a drop and
 * resends unacknowledged actions with their original ids (the server applies
 * an id once, so a resend after a lost ack is harmless). Anything it cannot
 * apply makes it resync: forget what it shows and ask for a full render.
 */
export class Connection {
  readonly mounts = new Set<HTMLElement>();
  #component: string;
  #key: string;
  #token: string;
  /** When the mount token stops opening sockets (ms since the epoch); Infinity when unknown. */
  #expiresAt: number;
  #ws: WebSocket | null = null;
  #statics: StaticsTable = {};
  #tree: Dynamic | null = null;
  #seq = -1;
  /**
   * Stable for the page's life, sent in every hello: an anonymous socket's action ids are scoped by
   * it, so an outbox resent after a reconnect is still recognised as the same actions.
   */
  readonly #client = crypto.randomUUID();
  #epoch: string | undefined;
  #rid: string | undefined;
  #attempt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #renew: ReturnType<typeof setTimeout> | undefined;
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  #pongDue: ReturnType<typeof setTimeout> | undefined;
  #outbox = new Map<string, Pending>();
  #state: LiveState = "connecting";
  #stopped = false;
  /** A token renewal ahead of a connect is in flight. */
  #busy = false;
  #online = () => this.#state === "offline" && this.#reconnectNow();

  constructor(component: string, key: string, token: string) {
    this.#component = component;
    this.#key = key;
    this.#token = token;
    this.#expiresAt = tokenExpiry(token);
    addEventListener("online", this.#online);
    this.#scheduleRenew();
  }

  get state(): LiveState {
    return this.#state;
  }

  get seq(): number {
    return this.#seq;
  }

  get token(): string {
    return this.#token;
  }

  attach(mount: HTMLElement): void {
    this.mounts.add(mount);
    mount.dataset.liveState = this.#state;
    if (this.#tree !== null) this.#paint(mount);
  }

  /** A mount left the page: it is no longer painted. Returns how many remain. */
  detach(mount: HTMLElement): number {
    this.mounts.delete(mount);
    return this.mounts.size;
  }

  async connect(): Promise<void> {
    clearTimeout(this.#timer);
    if (this.#ws || this.#busy || this.#stopped) return;
    this.#setState("connecting");
    if (Date.now() >= this.#expiresAt) {
      // An expired token cannot open a socket: renew it first (the outbox waits).
      this.#busy = true;
      const renewed = await this.#renewToken();
      this.#busy = false;
      if (this.#stopped) return;
      if (renewed === "refused") {
        // The server will not renew this token (e.g. its user signed out): the page decides, e.g. reload.
        this.#setState("expired");
        for (const m of this.mounts) m.dispatchEvent(new CustomEvent("stratus:expired", { bubbles: true }));
        return;
      }
      if (renewed === "unreachable") return this.#retry();
    }
    const proto = location.protocol === "https:" ? "wss:" : "ws:";
    const ws = new WebSocket(`${proto}//${location.host}${LIVE_PATH_PREFIX}${encodeURIComponent(this.#component)}/${encodeURIComponent(this.#key)}?token=${encodeURIComponent(this.#token)}`);
    this.#ws = ws;
    ws.onopen = () => {
      // Resume from what we show; with no tree yet, ask for a full render.
      const hello: HelloFrame = { type: "hello", v: PROTOCOL_VERSION, client: this.#client };
      if (this.#tree !== null) Object.assign(hello, { since: this.#seq, epoch: this.#epoch, rid: this.#rid });
      ws.send(JSON.stringify(hello));
      // Frames are ordered: actions queued while offline follow the hello.
      for (const p of this.#outbox.values()) ws.send(JSON.stringify(p.frame));
      this.#setState("open");
      this.#heartbeat = setInterval(() => this.#ping(), HEARTBEAT_MS);
    };
    ws.onmessage = (ev) => this.#receive(ev.data);
    ws.onclose = (ev) => this.#closed(ws, ev.code);
  }

  /** Queues an action; it is sent now if the socket is open, or on the next connection. */
  send(name: string, args: unknown, trigger: Element | null, onAck?: () => void): string {
    const id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
    const frame: ActionFrame = { type: "action", id, name, args };
    const text = JSON.stringify(frame);
    if (new TextEncoder().encode(text).length > MAX_ACTION_BYTES) {
      // The server would close the socket on it; resent on every reconnect, it would loop.
      this.#emit(trigger, "stratus:error", { type: "error", id, name, code: "too_large", message: `Action ${name} is larger than ${MAX_ACTION_BYTES} bytes and was not sent.` });
      return id;
    }
    this.#outbox.set(id, { frame, trigger, ...(onAck ? { onAck } : {}) });
    trigger?.setAttribute("data-live-pending", "");
    this.#pendingChanged();
    if (this.#ws?.readyState === WebSocket.OPEN) this.#ws.send(text);
    return id;
  }

  /** Stops for good: the last mount of this instance left the page. */
  close(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    clearTimeout(this.#renew);
    removeEventListener("online", this.#online);
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
    for (const frame of Array.isArray(parsed) ? parsed : [parsed]) {
      try {
        this.#frame(frame);
      } catch {
        // Unknown statics id, a tree the change does not fit, a morph that threw: never freeze, start over.
        this.#resync();
      }
    }
  }

  #frame(f: ServerFrame): void {
    clearTimeout(this.#pongDue);
    switch (f.type) {
      case "render":
        this.#statics = { ...this.#statics, ...f.statics };
        this.#show(f.dynamics, f.seq, f.epoch, f.rid);
        return;
      case "diff":
        if (this.#tree !== null && f.seq <= this.#seq && (f.epoch ?? this.#epoch) === this.#epoch) return; // already shown
        if (this.#tree === null || f.from !== this.#seq || (f.epoch !== undefined && f.epoch !== this.#epoch)) return this.#resync();
        if (f.statics) Object.assign(this.#statics, f.statics);
        this.#show(applyChange(this.#tree, f.changes), f.seq, this.#epoch, f.rid ?? this.#rid);
        return;
      case "ack":
        this.#settle(f.id, "stratus:ack", { id: f.id, seq: f.seq });
        return;
      case "error":
        // Any error naming an action ends it: resending it would meet the same answer.
        this.#settle(f.id, "stratus:error", f);
        return;
      default:
        return;
    }
  }

  #show(tree: Dynamic, seq: number, epoch: string | undefined, rid: string | undefined): void {
    // Build the HTML before committing to the tree, so a failure leaves the old cursor to resync from.
    const html = toHtml(tree, this.#statics);
    this.#tree = tree;
    this.#seq = seq;
    this.#epoch = epoch;
    this.#rid = rid;
    for (const m of this.mounts) this.#paint(m, html);
    // The server answered and we could apply it: the next drop starts backing off from scratch.
    this.#attempt = 0;
  }

  #settle(id: string | undefined, event: string, detail: object): void {
    const p = id === undefined ? undefined : this.#outbox.get(id);
    if (p) {
      this.#outbox.delete(id!);
      p.trigger?.removeAttribute("data-live-pending");
      this.#pendingChanged();
      if (event === "stratus:ack" && p.onAck) {
        p.onAck();
        if (this.#tree !== null) for (const m of this.mounts) this.#paint(m);
      }
    }
    // An ack for nothing pending (a duplicate) says nothing new; an error always reaches the page.
    if (p || event !== "stratus:ack") this.#emit(p?.trigger ?? null, event, p ? { name: p.frame.name, ...detail } : detail);
  }

  /** On the element that sent the action while it is on the page, else on every mount; it bubbles. */
  #emit(trigger: Element | null, type: string, detail: object): void {
    const targets = trigger?.isConnected ? [trigger] : [...this.mounts];
    for (const t of targets) t.dispatchEvent(new CustomEvent(type, { detail, bubbles: true }));
  }

  #paint(mount: HTMLElement, html = toHtml(this.#tree!, this.#statics)): void {
    morphInto(mount, html);
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

  /** What we show cannot be continued: drop the cursor and reconnect for a full render (the DOM stays until it comes). */
  #resync(): void {
    this.#tree = null;
    this.#seq = -1;
    this.#statics = {};
    this.#ws?.close(CloseCodes.resync);
  }

  async #renewToken(): Promise<"ok" | "refused" | "unreachable"> {
    const got = await refreshToken(this.#component, this.#key, this.#token);
    if (typeof got !== "object") return got;
    this.#token = got.token;
    this.#expiresAt = got.expiresAt;
    this.#scheduleRenew();
    return "ok";
  }

  /** Renews ahead of expiry while the page is open; a socket that drops later then reconnects at once. */
  #scheduleRenew(): void {
    clearTimeout(this.#renew);
    // Once expired, the next connect renews (through the server's grace period).
    if (this.#expiresAt === Infinity || this.#stopped || Date.now() >= this.#expiresAt) return;
    this.#renew = setTimeout(async () => {
      // Unreachable: try again halfway to expiry. Refused: the open socket lives on until it drops.
      if ((await this.#renewToken()) === "unreachable" && !this.#stopped) {
        this.#renew = setTimeout(() => this.#scheduleRenew(), Math.max(1000, (this.#expiresAt - Date.now()) / 2));
      }
    }, refreshDelay(this.#expiresAt));
  }

  #retry(): void {
    this.#setState("offline");
    this.#timer = setTimeout(() => void this.connect(), backoffDelay(this.#attempt++));
  }

  #closed(ws: WebSocket, code: number): void {
    if (ws !== this.#ws) return;
    clearInterval(this.#heartbeat);
    clearTimeout(this.#pongDue);
    this.#ws = null;
    if (this.#stopped) return;
    if (code === CloseCodes.unauthorized || code === CloseCodes.badVersion) {
      // A forged or foreign token, or a new runtime: a page load is needed; retrying cannot help.
      this.#setState("failed");
      return;
    }
    if (code === CloseCodes.relayFull || code === CloseCodes.relayDropped) {
      // Not a failure of the network: the Worker routes the next socket to a relay with room (resuming with since).
      this.#setState("offline");
      return this.#reconnectNow();
    }
    this.#retry();
  }

  #reconnectNow(): void {
    clearTimeout(this.#timer);
    this.#attempt = 0;
    if (!this.#ws) void this.connect();
  }

  #setState(state: LiveState): void {
    this.#state = state;
    for (const m of this.mounts) m.dataset.liveState = state;
  }

  #pendingChanged(): void {
    for (const m of this.mounts) m.classList.toggle("live-pending", this.#outbox.size > 0);
  }
}
