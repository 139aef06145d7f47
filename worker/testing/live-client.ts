import { signMountToken } from "../../durable-objects/realtime/mount-token";
import type { ServerFrame } from "../../durable-objects/realtime/protocol";

/** A real WebSocket client for tests: records every frame and the close. */
export class LiveClient {
  readonly frames: ServerFrame[] = [];
  closed: { code: number; reason: string } | undefined;
  /** WebSocket messages received (a message can hold several frames). */
  messages = 0;
  readonly #waiters: (() => void)[] = [];

  /** `halfOpen`: never answer the server's close, as a client whose network died would not. */
  constructor(
    readonly ws: WebSocket,
    opts: { halfOpen?: boolean } = {},
  ) {
    ws.accept(opts.halfOpen ? { allowHalfOpen: true } : undefined);
    ws.addEventListener("message", (e) => {
      // One message may carry several frames (an action's diff and its ack), as a JSON array.
      const parsed = JSON.parse(e.data as string) as ServerFrame | ServerFrame[];
      this.messages++;
      if (Array.isArray(parsed)) this.frames.push(...parsed);
      else this.frames.push(parsed);
      this.#wake();
    });
    ws.addEventListener("close", (e) => {
      this.closed = { code: e.code, reason: e.reason };
      this.#wake();
    });
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  /**
   * Says hello (resuming at `since`, showing `shows`: the epoch and rid of its last frame, and the
   * stable client id a browser keeps across reconnects) and waits for the presence list that follows it.
   */
  async hello(since?: number, shows: { epoch?: string; rid?: string; client?: string } = {}): Promise<void> {
    const before = this.of("presence").filter((p) => p.list).length;
    this.send({ type: "hello", v: 1, ...(since !== undefined ? { since } : {}), ...shows });
    await this.until((c) => c.of("presence").filter((p) => p.list).length > before);
  }

  /** Sends an action and waits for its ack or error. */
  async act(name: string, args: unknown = {}, id: string = crypto.randomUUID()): Promise<ServerFrame> {
    this.send({ type: "action", id, name, args });
    let answer: ServerFrame | undefined;
    await this.until(() => (answer = this.frames.find((f) => (f.type === "ack" || f.type === "error") && f.id === id)) !== undefined);
    return answer!;
  }

  /** Waits until `pred` holds over what has arrived (fails after `ms`). */
  async until(pred: (c: LiveClient) => boolean, ms = 3000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!pred(this)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; frames: ${JSON.stringify(this.frames).slice(0, 800)} closed: ${JSON.stringify(this.closed)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 50));
        this.#waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  of<T extends ServerFrame["type"]>(type: T): Extract<ServerFrame, { type: T }>[] {
    return this.frames.filter((f): f is Extract<ServerFrame, { type: T }> => f.type === type);
  }

  close(): void {
    try {
      this.ws.close(1000, "bye");
    } catch {
      // already closed
    }
  }

  #wake(): void {
    for (const w of this.#waiters.splice(0)) w();
  }
}

export interface ConnectOptions {
  /** The APP_KEY the Worker signs mount tokens with. */
  secret: string;
  user?: string;
  /** Sent as Origin; the Worker's own origin by default. */
  origin?: string;
  /** A token of your own (forged, expired...) instead of a freshly signed one. */
  token?: string;
  /** More request headers: `(await actingAs(user)).headers` for a user-bound token (the route checks the session). */
  headers?: Record<string, string>;
}

/** Opens a live socket through the Worker's /live route, exactly as a browser would. */
export async function connectLive(worker: { fetch(request: Request): Promise<Response> }, component: string, key: string, opts: ConnectOptions): Promise<LiveClient> {
  const token = opts.token ?? (await signMountToken(opts.secret, { component, key, ttlSeconds: 60, ...(opts.user !== undefined ? { user: opts.user } : {}) }));
  const res = await worker.fetch(new Request(`http://localhost:8787/live/${component}/${key}?token=${encodeURIComponent(token)}`, {
    headers: { Upgrade: "websocket", Origin: opts.origin ?? "http://localhost:8787", ...opts.headers },
  }));
  if (!res.webSocket) throw new Error(`live upgrade refused: ${res.status} ${await res.text()}`);
  return new LiveClient(res.webSocket);
}
