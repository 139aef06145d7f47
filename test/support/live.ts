import { env, exports } from "cloudflare:workers";
import { CALLER_HEADER } from "../../durable-objects/realtime/caller-header";
import { signMountToken } from "../../durable-objects/realtime/mount-token";
import type { ServerFrame } from "../../durable-objects/realtime/protocol";

export const ORIGIN = "http://localhost:8787";
export const APP_KEY = "test-app-key-0123456789abcdef0123456789abcdef";

/** A real WebSocket client that records every frame and close. */
export class Client {
  readonly frames: ServerFrame[] = [];
  closed: { code: number; reason: string } | undefined;
  readonly #waiters: (() => void)[] = [];
  /** WebSocket messages received (a message can hold several frames). */
  messages = 0;

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

  /** Waits until `pred` holds over what has arrived (fails after `ms`). */
  async until(pred: (c: Client) => boolean, ms = 3000): Promise<void> {
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

/** Connects through the Worker route, exactly as a browser would. */
export async function connectViaWorker(component: string, key: string, opts: { user?: string; origin?: string; token?: string } = {}): Promise<Response> {
  const token = opts.token ?? (await signMountToken(APP_KEY, { component, key, ttlSeconds: 60, ...(opts.user ? { user: opts.user } : {}) }));
  return exports.default.fetch(`http://example.com/live/${component}/${key}?token=${encodeURIComponent(token)}`, {
    headers: { Upgrade: "websocket", Origin: opts.origin ?? ORIGIN },
  });
}

/** Connects straight to a test component's object, with the header the Worker would set. */
export async function connectDirect(ns: DurableObjectNamespace, key: string, user?: string, opts: { halfOpen?: boolean } = {}): Promise<Client> {
  const res = await ns.getByName(key).fetch("https://component/", {
    headers: { Upgrade: "websocket", [CALLER_HEADER]: JSON.stringify({ component: "lab", key, ...(user ? { user } : {}) }) },
  });
  if (!res.webSocket) throw new Error(`no socket: ${res.status} ${await res.text()}`);
  return new Client(res.webSocket, opts);
}

export async function hello(c: Client, since?: number, shows: { epoch?: string; rid?: string } = {}): Promise<void> {
  const before = c.of("presence").filter((p) => p.list).length;
  c.send({ type: "hello", v: 1, ...(since !== undefined ? { since } : {}), ...shows });
  await c.until((x) => x.of("presence").filter((p) => p.list).length > before);
}

export { env };

import type { CompactLab, Lab, SlowLab } from "../fixtures/lab";
import type { UngatedLab } from "../fixtures/ungated-lab";
import type { GhostLab, WireLab } from "../fixtures/wire-lab";
/** Test-only bindings declared in vitest.config.ts. */
export const labs = env as unknown as { LAB: DurableObjectNamespace<Lab>; SLOW_LAB: DurableObjectNamespace<SlowLab>; COMPACT_LAB: DurableObjectNamespace<CompactLab>; WIRE_LAB: DurableObjectNamespace<WireLab>; GHOST_LAB: DurableObjectNamespace<GhostLab>; UNGATED_LAB: DurableObjectNamespace<UngatedLab>; COUNTER: Env["COUNTER"] };
