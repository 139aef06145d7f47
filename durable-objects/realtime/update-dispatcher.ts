import type { Template } from "../../worker/templating/html";
import { diffTree } from "../../worker/templating/diff";
import { renderTree, type RenderedNode, type StaticsTable } from "../../worker/templating/rendered";
import { renderId } from "../../worker/templating/statics";
import type { SeqFrame } from "../cluster/sequencer";
import type { DiffBuffer } from "./diff-buffer";
import { ErrorCodes, type AckFrame, type DiffFrame, type ErrorFrame, type RenderFrame } from "./protocol";
import type { WebSocketManager } from "./websocket-manager";

/** Sockets in one flush from which the next commits are treated as queued behind it. */
const BACKLOG_FANOUT = 100;

interface LastRender {
  seq: number;
  root: RenderedNode;
  statics: StaticsTable;
  rid: string;
}

export interface RenderSource {
  /** The current state's seq. */
  seq(): number;
  /** The current state's template (the component's render; it may throw). */
  template(): Template;
}

/** No render to serve: the state's render threw and no earlier one succeeded since the object woke. */
export class RenderUnavailableError extends Error {
  override name = "RenderUnavailableError";
}

/** What a client says it shows when it (re)connects. */
export interface ResumePoint {
  since?: number;
  epoch?: string;
  rid?: string;
}

/**
 * After commits: render once, diff against the last broadcast render, send
 * the same text to every ready socket, keep it for resume. Throttled: the
 * first commit after a quiet window flushes at once (on a microtask, after the
 * commit), later commits inside the window share one frame at its end.
 *
 * A render that throws never blocks a commit: the last good render stays the
 * diff base and what `renderFrame` serves, the actors whose commits it hid get
 * their ack and an `error` frame `render_failed`, and the next good render
 * diffs from the last good one.
 */
export class UpdateDispatcher {
  readonly #sockets: WebSocketManager;
  readonly #source: RenderSource;
  readonly #buffer: DiffBuffer;
  readonly #epoch: string;
  readonly #flushMs: number;
  readonly #onError: (err: unknown) => void;
  #last: LastRender | undefined;
  /** The seq whose render threw, so it is not retried until the state moves. */
  #failedSeq: number | undefined;
  /** The first good render after a wake checks the resume buffer against its rid. */
  #checkedBuffer = false;
  /** A render threw with no diff base: the next good render goes to every socket whole. */
  #owed = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #queued = false;
  #lastFlushAt = Number.NEGATIVE_INFINITY;
  /** True from a flush until the next turn: events delivered meanwhile had queued behind it. */
  #backlog = false;
  /** Acks waiting to ride in the next frame to their socket. */
  readonly #acks = new Map<WebSocket, AckFrame[]>();
  /** Frames sent since the object woke, for tests and metrics. */
  framesSent = 0;
  /** Each frame of the chain, as sent to the sockets: the component's relays get it too. */
  onFrame: ((frame: SeqFrame) => void) | undefined;

  constructor(sockets: WebSocketManager, source: RenderSource, buffer: DiffBuffer, epoch: string, flushMs: number, onError: (err: unknown) => void) {
    this.#sockets = sockets;
    this.#source = source;
    this.#buffer = buffer;
    this.#epoch = epoch;
    this.#flushMs = flushMs;
    this.#onError = onError;
  }

  /** After recovery: a buffer that does not end at the recovered seq cannot serve resumes. */
  wake(seq: number): void {
    const tail = this.#buffer.tail();
    if (tail !== undefined && tail.seq !== seq) this.#buffer.clear();
  }

  /** Renders the current state as the diff base, if not done yet. Call before the first commit after a wake; never throws. */
  baseline(): void {
    if (this.#last) return;
    const seq = this.#source.seq();
    const next = this.#render(seq);
    if (next) this.#last = { seq, ...next };
  }

  /**
   * Queues an action's ack for the frame that shows its state, so the acting
   * socket gets one send (`[diff, ack]`, a JSON array of frames) instead of two.
   */
  ack(ws: WebSocket, frame: AckFrame): void {
    const queued = this.#acks.get(ws);
    if (queued) queued.push(frame);
    else this.#acks.set(ws, [frame]);
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

  /** Sends whatever is pending now; never throws. */
  flush(): void {
    this.#queued = false;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const last = this.#last;
    const seq = this.#source.seq();
    if (seq === last?.seq) return this.#send(undefined);
    const next = this.#render(seq);
    if (!next) return this.#send(undefined);
    let text: string;
    if (!last) {
      this.#last = { seq, ...next };
      // Nothing to send unless a render threw since the wake: then sockets may show nothing, or
      // a state older than the buffer proves, and every one gets this render whole.
      if (!this.#owed) return this.#send(undefined);
      this.#owed = false;
      this.#lastFlushAt = Date.now();
      this.#buffer.clear();
      text = JSON.stringify(this.#renderFrame(this.#last));
      this.onFrame?.({ epoch: this.#epoch, seq, rid: next.rid, text });
    } else {
      // A window opens with each render of a commit (a first render after a wake opens none).
      this.#lastFlushAt = Date.now();
      const d = diffTree(last.root, next.root, last.statics, next.statics);
      if (!d) {
        // Nothing visible changed: keep the chain at the last sent seq; the next frame spans these events too.
        this.#last = { ...next, seq: last.seq };
        return this.#send(undefined);
      }
      const frame: DiffFrame = { type: "diff", seq, from: last.seq, epoch: this.#epoch, rid: next.rid, changes: d.changes };
      if (Object.keys(d.statics).length > 0) frame.statics = d.statics;
      text = JSON.stringify(frame);
      this.#buffer.push(last, seq, next.rid, text);
      this.onFrame?.({ epoch: this.#epoch, seq, from: last.seq, rid: next.rid, text });
      this.#last = { seq, ...next };
    }
    this.#send(text);
    this.framesSent++;
    // Only a long send loop lets frames queue up behind it; a short one is not worth a turn's delay.
    if (this.#sockets.ready().size >= BACKLOG_FANOUT) {
      this.#backlog = true;
      setTimeout(() => (this.#backlog = false), 0);
    }
  }

  /** Renders the state at `seq` (once per seq when it throws); undefined when it threw. */
  #render(seq: number): Omit<LastRender, "seq"> | undefined {
    if (seq === this.#failedSeq) return undefined;
    let r: { root: RenderedNode; statics: StaticsTable };
    try {
      r = plain(renderTree(this.#source.template()));
    } catch (err) {
      this.#failedSeq = seq;
      if (!this.#last) this.#owed = true;
      this.#onError(err);
      return undefined;
    }
    this.#failedSeq = undefined;
    const rid = renderId(Object.keys(r.statics));
    if (!this.#checkedBuffer) {
      this.#checkedBuffer = true;
      // Woken with other templates (a deploy): frames kept by the old code lead to another tree.
      if (this.#buffer.tail()?.rid !== rid) this.#buffer.clear();
    }
    return { ...r, rid };
  }

  /**
   * The frame to every ready socket, with any queued acks folded into the same send. Acks of
   * commits the shown render does not include (their render threw) carry a `render_failed` error.
   */
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
        this.#sockets.send(ws, `[${[text, ...this.#ackTexts(queued)].join(",")}]`);
      }
    }
    for (const [ws, queued] of acks) {
      const texts = this.#ackTexts(queued);
      this.#sockets.send(ws, texts.length === 1 ? texts[0]! : `[${texts.join(",")}]`);
    }
    acks.clear();
  }

  #ackTexts(acks: AckFrame[]): string[] {
    const out = acks.map((a) => JSON.stringify(a));
    for (const a of acks) if (this.renderFailedAt(a.seq)) out.push(JSON.stringify(renderFailed(a.id)));
    return out;
  }

  #renderFrame(last: LastRender): RenderFrame {
    return { type: "render", seq: last.seq, epoch: this.#epoch, rid: last.rid, statics: last.statics, dynamics: last.root };
  }

  /** The full render at the last broadcast seq (flushing first, so it is a link of the chain): the last good one. */
  renderFrame(): RenderFrame {
    this.flush();
    if (!this.#last) throw new RenderUnavailableError("The component's render threw and no earlier render succeeded since the object woke.");
    return this.#renderFrame(this.#last);
  }

  /** The chain's head after sending what is pending (what a viewer shows once it has every frame); undefined before any render. */
  head(): { epoch: string; seq: number } | undefined {
    this.flush();
    return this.#last ? { epoch: this.#epoch, seq: this.#last.seq } : undefined;
  }

  /** Whether the commit at `seq` is hidden by a render that threw (its actor gets `render_failed` with the ack). */
  renderFailedAt(seq: number): boolean {
    return this.#failedSeq !== undefined && seq > (this.#last?.seq ?? -1);
  }

  /**
   * Frames bringing a client from what it shows to the current seq: nothing, buffered diffs,
   * or one full render (another epoch, another rid at the same seq, a gap the buffer does not cover).
   */
  resume(from: ResumePoint): { frames: string[]; seq: number } {
    const frame = this.renderFrame();
    const { seq, rid } = frame;
    const { since } = from;
    const sameLog = from.epoch === undefined || from.epoch === this.#epoch;
    if (sameLog && since === seq && (from.rid === undefined || from.rid === rid)) return { frames: [], seq };
    if (sameLog && since !== undefined && since < seq) {
      const texts = this.#buffer.since(since, from.rid, seq, rid);
      if (texts) return { frames: texts, seq };
    }
    return { frames: [JSON.stringify(frame)], seq };
  }
}

export function renderFailed(id: string): ErrorFrame {
  return { type: "error", id, code: ErrorCodes.renderFailed, message: "The action was committed, but rendering its state failed; the last good render stays." };
}

/** Template statics arrays carry a `raw` property; plain copies survive RPC and JSON alike. */
function plain(r: { root: RenderedNode; statics: StaticsTable }): { root: RenderedNode; statics: StaticsTable } {
  const statics: StaticsTable = {};
  for (const [id, strings] of Object.entries(r.statics)) statics[id] = Array.from(strings);
  return { root: r.root, statics };
}
