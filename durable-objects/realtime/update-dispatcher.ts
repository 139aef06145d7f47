import type { Template } from "../../worker/templating/html";
import { diffTree } from "../../worker/templating/diff";
import { renderTree, type RenderedNode, type StaticsTable } from "../../worker/templating/rendered";
import type { DiffBuffer } from "./diff-buffer";
import type { AckFrame, DiffFrame, RenderFrame } from "./protocol";
import type { WebSocketManager } from "./websocket-manager";

/** Sockets in one flush from which the next commits are treated as queued behind it. */
const BACKLOG_FANOUT = 100;

interface LastRender {
  seq: number;
  root: RenderedNode;
  statics: StaticsTable;
}

export interface RenderSource {
  /** The current state's seq and its template. */
  (): { seq: number; template: Template };
}

/**
 * After commits: render once, diff against the last broadcast render, send
 * the same text to every ready socket, keep it for resume. Throttled: the
 * first commit after a quiet window flushes at once (on a microtask, after the
 * commit), later commits inside the window share one frame at its end.
 */
export class UpdateDispatcher {
  readonly #sockets: WebSocketManager;
  readonly #source: RenderSource;
  readonly #buffer: DiffBuffer;
  readonly #flushMs: number;
  readonly #onError: (err: unknown) => void;
  #last: LastRender | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #queued = false;
  #lastFlushAt = Number.NEGATIVE_INFINITY;
  /** True from a flush until the next turn: events delivered meanwhile had queued behind it. */
  #backlog = false;
  /** Acks waiting to ride in the next frame to their socket. */
  readonly #acks = new Map<WebSocket, string[]>();
  /** Frames sent since the object woke, for tests and metrics. */
  framesSent = 0;

  constructor(sockets: WebSocketManager, source: RenderSource, buffer: DiffBuffer, flushMs: number, onError: (err: unknown) => void) {
    this.#sockets = sockets;
    this.#source = source;
    this.#buffer = buffer;
    this.#flushMs = flushMs;
    this.#onError = onError;
  }

  /** After recovery: a buffer that does not end at the recovered seq cannot serve resumes. */
  wake(seq: number): void {
    const tail = this.#buffer.tail();
    if (tail !== undefined && tail !== seq) this.#buffer.clear();
  }

  /** Renders the current state as the diff base, if not done yet. Call before the first commit after a wake. */
  baseline(): void {
    if (this.#last) return;
    const { seq, template } = this.#source();
    this.#last = { seq, ...plain(renderTree(template)) };
  }

  /**
   * Queues an action's ack for the frame that shows its state, so the acting
   * socket gets one send (`[diff, ack]`, a JSON array of frames) instead of two.
   */
  ack(ws: WebSocket, frame: AckFrame): void {
    const text = JSON.stringify(frame);
    const queued = this.#acks.get(ws);
    if (queued) queued.push(text);
    else this.#acks.set(ws, [text]);
    this.notify();
  }

  notify(): void {
    if (this.#timer !== undefined || this.#queued) return;
    const wait = this.#lastFlushAt + this.#flushMs - Date.now();
    if (wait <= 0 && this.#backlog) {
      // Frames that queued up while the last send loop ran (workerd's clock stands
      // still during it, so the window looks long past): commit them all, then send once.
      this.#timer = setTimeout(() => this.flush(), 0);
    } else if (wait <= 0) {
      this.#queued = true;
      queueMicrotask(() => this.flush());
    } else {
      this.#timer = setTimeout(() => this.flush(), wait);
    }
  }

  /** Sends whatever is pending now. */
  flush(): void {
    this.#queued = false;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.baseline();
    const last = this.#last!;
    const { seq, template } = this.#source();
    if (seq === last.seq) return this.#send(undefined);
    this.#lastFlushAt = Date.now();
    let next: { root: RenderedNode; statics: StaticsTable };
    try {
      next = plain(renderTree(template));
    } catch (err) {
      this.#onError(err);
      return this.#send(undefined);
    }
    const d = diffTree(last.root, next.root, last.statics, next.statics);
    if (!d) {
      // Nothing visible changed: keep the chain at the last sent seq; the next frame spans these events too.
      this.#last = { seq: last.seq, ...next };
      return this.#send(undefined);
    }
    const frame: DiffFrame = { type: "diff", seq, from: last.seq, changes: d.changes };
    if (Object.keys(d.statics).length > 0) frame.statics = d.statics;
    const text = JSON.stringify(frame);
    this.#buffer.push(last.seq, seq, text);
    this.#last = { seq, ...next };
    this.#send(text);
    this.framesSent++;
    // Only a long send loop lets frames queue up behind it; a short one is not worth a turn's delay.
    if (this.#sockets.ready().size >= BACKLOG_FANOUT) {
      this.#backlog = true;
      setTimeout(() => (this.#backlog = false), 0);
    }
  }

  /** The frame to every ready socket, with any queued acks folded into the same send. */
  #send(text: string | undefined): void {
    const acks = this.#acks;
    if (text !== undefined) {
      for (const ws of this.#sockets.ready()) {
        const queued = acks.get(ws);
        if (!queued) {
          this.#sockets.send(ws, text);
          continue;
        }
        acks.delete(ws);
        this.#sockets.send(ws, `[${text},${queued.join(",")}]`);
      }
    }
    for (const [ws, queued] of acks) this.#sockets.send(ws, queued.length === 1 ? queued[0]! : `[${queued.join(",")}]`);
    acks.clear();
  }

  /** The full render at the last broadcast seq (flushing first, so it is a link of the chain). */
  renderFrame(): RenderFrame {
    this.flush();
    const last = this.#last!;
    return { type: "render", seq: last.seq, statics: last.statics, dynamics: last.root };
  }

  /** Frames bringing a client at `since` to the current seq: buffered diffs, or one full render. */
  resume(since: number | undefined): { frames: string[]; seq: number } {
    this.flush();
    const seq = this.#last!.seq;
    if (since === seq) return { frames: [], seq };
    if (since !== undefined && since < seq) {
      const texts = this.#buffer.since(since, seq);
      if (texts) return { frames: texts, seq };
    }
    return { frames: [JSON.stringify(this.renderFrame())], seq };
  }
}

/** Template statics arrays carry a `raw` property; plain copies survive RPC and JSON alike. */
function plain(r: { root: RenderedNode; statics: StaticsTable }): { root: RenderedNode; statics: StaticsTable } {
  const statics: StaticsTable = {};
  for (const [id, strings] of Object.entries(r.statics)) statics[id] = Array.from(strings);
  return { root: r.root, statics };
}
