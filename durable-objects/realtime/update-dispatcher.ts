import type { Template } from "../../worker/templating/html";
import { diffTree } from "../../worker/templating/diff";
import { renderTree, type RenderedNode, type StaticsTable } from "../../worker/templating/rendered";
import { renderId } from "../../worker/templating/statics";
import { sameDynamic } from "../../worker/templating/viewer-slot";
import type { Change, Dynamic } from "../../worker/templating/wire";
import type { SeqFrame } from "../cluster/sequencer";
import type { DiffBuffer } from "./diff-buffer";
import { FlushSchedule } from "./flush-schedule";
import { ErrorCodes, type AckFrame, type DiffFrame, type EffectFrame, type ErrorFrame, type RenderFrame } from "./protocol";
import { locateSlots, patchIn, recordSlots, staticsOf, touchedSlots, type SlotSite } from "./viewer-slots";
import type { WebSocketManager } from "./websocket-manager";

/** Sockets in one flush from which the next commits are treated as queued behind it. */
const BACKLOG_FANOUT = 100;

interface LastRender {
  seq: number;
  root: RenderedNode;
  statics: StaticsTable;
  rid: string;
  /** Its viewer slots (empty for components without viewer state). */
  slots: SlotSite[];
}

/** Frames that ride in the next message to their socket: acks, effects, a model frame's field errors. */
type Rider = AckFrame | EffectFrame | ErrorFrame;

/** What the dispatcher asks about viewers; absent for components without viewer slots. */
export interface ViewerSource {
  /** What slots receive for the initial viewer (the shared render carries that). */
  defaultArg(): unknown;
  /** What slots receive for this socket's viewer; null when it is the initial viewer. */
  argFor(ws: WebSocket): unknown;
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
 * the same text to every ready socket, keep it for resume. When: see
 * FlushSchedule (at once after a quiet period, one frame per window, and one
 * for the updates that queued behind the last flush).
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
  readonly #schedule: FlushSchedule;
  readonly #onError: (err: unknown) => void;
  #last: LastRender | undefined;
  /** The seq whose render threw, so it is not retried until the state moves. */
  #failedSeq: number | undefined;
  /** The first good render after a wake checks the resume buffer against its rid. */
  #checkedBuffer = false;
  /** A render threw with no diff base: the next good render goes to every socket whole. */
  #owed = false;
  /** Acks and effects waiting to ride in the next frame to their socket. */
  readonly #riders = new Map<WebSocket, Rider[]>();
  readonly #viewers: ViewerSource | undefined;
  /** Slot values each socket with its own viewer shows, by slot id; no entry: the initial viewer's (or unknown, after a wake). */
  readonly #shown = new Map<WebSocket, Map<string, Dynamic>>();
  /** Sockets whose viewer changed since the last flush. */
  readonly #dirty = new Set<WebSocket>();
  /** Statics only viewer slots use, gathered as they render (content-addressed, so shared by every socket). */
  readonly #slotStatics: StaticsTable = {};
  /** Frames sent since the object woke, for tests and metrics. */
  framesSent = 0;
  /** Each shared frame of the chain, as sent to the sockets: the component's relays get it too. */
  onFrame: ((frame: SeqFrame) => void) | undefined;

  constructor(sockets: WebSocketManager, source: RenderSource, buffer: DiffBuffer, epoch: string, flushMs: number, onError: (err: unknown) => void, viewers?: ViewerSource) {
    this.#viewers = viewers;
    this.#sockets = sockets;
    this.#source = source;
    this.#buffer = buffer;
    this.#epoch = epoch;
    this.#schedule = new FlushSchedule(flushMs, () => this.flush());
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
  ack(ws: WebSocket, frame: Rider, pipelined = false): void {
    const queued = this.#riders.get(ws);
    if (queued) queued.push(frame);
    else this.#riders.set(ws, [frame]);
    this.notify(pipelined);
  }

  /** The socket's viewer changed: its slots are compared and sent with the next flush. */
  viewerChanged(ws: WebSocket): void {
    this.#dirty.add(ws);
    this.notify();
  }

  /** The socket left. */
  forget(ws: WebSocket): void {
    this.#shown.delete(ws);
    this.#dirty.delete(ws);
    this.#riders.delete(ws);
  }

  /** Something is pending; `pipelined`: a socket's own action, which may wait for those queued with it (see FlushSchedule). */
  notify(pipelined = false): void {
    this.#schedule.notify(pipelined);
  }

  /** Sends whatever is pending now; never throws. */
  flush(): void {
    this.#schedule.started();
    const acking = this.#riders.size > 0;
    const sent = this.#send();
    this.#schedule.ended(acking, sent && this.#sockets.ready().size >= BACKLOG_FANOUT);
  }

  /** The pending frame and riders to every socket; whether a frame of the chain went out. */
  #send(): boolean {
    const last = this.#last;
    const seq = this.#source.seq();
    if (seq === last?.seq) {
      this.#fanout(last, undefined, undefined, false, false);
      return false;
    }
    const next = this.#render(seq);
    if (!next) {
      this.#fanout(undefined, undefined, undefined, false, false);
      return false;
    }
    if (!last) {
      this.#last = { seq, ...next };
      // Nothing to send unless a render threw since the wake: then sockets may show nothing, or
      // a state older than the buffer proves, and every one gets this render whole.
      if (!this.#owed) {
        this.#fanout(this.#last, undefined, undefined, false, false);
        return false;
      }
      this.#owed = false;
      this.#schedule.opened();
      this.#buffer.clear();
      const text = JSON.stringify(this.#renderFrame(this.#last));
      this.onFrame?.({ epoch: this.#epoch, seq, rid: next.rid, text });
      this.#fanout(this.#last, text, undefined, true, true);
    } else {
      // A window opens with each render of a commit (a first render after a wake opens none).
      this.#schedule.opened();
      const d = diffTree(last.root, next.root, last.statics, next.statics);
      if (!d) {
        // Nothing visible changed: keep the chain at the last sent seq; the next frame spans these events too.
        this.#last = { ...next, seq: last.seq };
        this.#fanout(this.#last, undefined, undefined, false, true);
        return false;
      }
      const frame: DiffFrame = { type: "diff", seq, from: last.seq, epoch: this.#epoch, rid: next.rid, changes: d.changes };
      if (Object.keys(d.statics).length > 0) frame.statics = d.statics;
      const text = JSON.stringify(frame);
      this.#buffer.push(last, seq, next.rid, text);
      this.onFrame?.({ epoch: this.#epoch, seq, from: last.seq, rid: next.rid, text });
      this.#last = { seq, ...next };
      this.#fanout(this.#last, text, frame, false, true);
    }
    this.framesSent++;
    return true;
  }

  /** Renders the state at `seq` (once per seq when it throws); undefined when it threw. */
  #render(seq: number): Omit<LastRender, "seq"> | undefined {
    if (seq === this.#failedSeq) return undefined;
    let r: { root: RenderedNode; statics: StaticsTable };
    let slots: SlotSite[] = [];
    try {
      const recorded = this.#viewers ? recordSlots(this.#viewers.defaultArg()) : undefined;
      r = plain(renderTree(this.#source.template(), recorded?.fill));
      if (recorded) slots = locateSlots(r.root, recorded.found);
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
    return { ...r, rid, slots };
  }

  /**
   * The frame to every ready socket, with its queued acks and effects folded into the same send.
   * `shared` is what a socket showing the initial viewer gets (`frame` its diff, `full` when it is a
   * render); a socket with its own viewer gets that frame with its slot values patched in, or a
   * viewer-only diff (`seq === from`) when only its slots changed. `moved`: `render` is new, so
   * every socket's slots are compared, not only those whose viewer changed. Acks of commits the
   * shown render does not include (their render threw) carry a `render_failed` error.
   */
  #fanout(render: LastRender | undefined, shared: string | undefined, frame: DiffFrame | undefined, full: boolean, moved: boolean): void {
    const riders = this.#riders;
    const slotted = render !== undefined && render.slots.length > 0;
    const touched = slotted && frame ? touchedSlots(frame.changes, render.slots) : undefined;
    const cache = new Map<string, readonly string[] | undefined>();
    for (const ws of this.#sockets.ready()) {
      const queued = riders.get(ws);
      if (!slotted || !(moved || this.#dirty.has(ws))) {
        if (!queued) {
          if (shared !== undefined) this.#sockets.send(ws, shared);
          continue;
        }
        this.#deliver(ws, shared === undefined ? [] : [shared], queued);
        continue;
      }
      const texts = this.#forSocket(ws, render, shared, frame, full, touched, cache);
      if (!queued && texts.length === 1) this.#sockets.send(ws, texts[0]!);
      else if (queued || texts.length > 0) this.#deliver(ws, texts, queued ?? []);
    }
    for (const [ws, queued] of riders) this.#deliver(ws, [], queued);
    riders.clear();
    if (render) this.#dirty.clear();
  }

  #deliver(ws: WebSocket, texts: readonly string[], queued: Rider[]): void {
    this.#riders.delete(ws);
    const all = queued.length > 0 ? [...texts, ...this.#ackTexts(queued)] : texts;
    if (all.length > 0) this.#sockets.send(ws, all.length === 1 ? all[0]! : `[${all.join(",")}]`);
  }

  /** One socket's frames: the shared one, or with its slot values patched in (cached by those values). */
  #forSocket(ws: WebSocket, render: LastRender, shared: string | undefined, frame: DiffFrame | undefined, full: boolean, touched: Set<string> | undefined, cache: Map<string, readonly string[] | undefined>): readonly string[] {
    const plainly = shared === undefined ? [] : [shared];
    const arg = this.#viewers!.argFor(ws);
    const before = this.#shown.get(ws);
    const dirty = this.#dirty.has(ws);
    if (arg === null && before === undefined && !dirty) return plainly;
    const slots = render.slots;
    const mines: Dynamic[] = new Array(slots.length);
    const patches: SlotSite[] = [];
    const values: Dynamic[] = [];
    let moved = before === undefined;
    try {
      for (let j = 0; j < slots.length; j++) {
        const s = slots[j]!;
        const replaced = full || touched?.has(s.id) === true;
        if (replaced) moved = true;
        // What the client shows there once the shared frame is applied; undefined when unknown.
        const x = replaced ? s.value : before ? before.get(s.id) : arg === null && !dirty ? s.value : undefined;
        const mine = arg === null ? s.value : s.render(arg, this.#slotStatics);
        mines[j] = mine;
        if (x === undefined || !sameDynamic(x, mine)) {
          patches.push(s);
          values.push(mine);
        }
      }
    } catch (err) {
      // A slot that throws for this viewer: the socket keeps what it shows; its slots are sent whole next time.
      this.#onError(err);
      this.#shown.set(ws, new Map());
      return plainly;
    }
    if (arg === null) this.#shown.delete(ws);
    else if (moved || patches.length > 0) {
      // What it shows changed: remember it (an unchanged socket keeps its map, the common case on a commit).
      const shown = new Map<string, Dynamic>();
      for (let j = 0; j < slots.length; j++) shown.set(slots[j]!.id, mines[j]!);
      this.#shown.set(ws, shown);
    }
    if (patches.length === 0) return plainly;
    const key = patches.map((p, i) => `${p.id}=${JSON.stringify(values[i])}`).join("\u0000");
    const hit = cache.get(key);
    if (hit) return hit;
    let changes: Change | undefined = full ? undefined : frame?.changes;
    for (let i = 0; i < patches.length; i++) changes = patchIn(changes, render.root, patches[i]!.path, values[i]!);
    // Statics of the shared render, then those only slots use (no merged copy of either table per socket).
    const statics = { ...(full ? undefined : frame?.statics), ...staticsOf(values, render.statics), ...staticsOf(values, this.#slotStatics) };
    const own: DiffFrame =
      full || !frame ? { type: "diff", seq: render.seq, from: render.seq, epoch: this.#epoch, rid: render.rid, changes: changes! } : { ...frame, changes: changes! };
    if (Object.keys(statics).length > 0) own.statics = statics;
    else delete own.statics;
    // After a full render the socket's own values follow as a viewer-only diff on top of it.
    const texts = full && shared !== undefined ? [shared, JSON.stringify(own)] : [JSON.stringify(own)];
    cache.set(key, texts);
    return texts;
  }

  #ackTexts(riders: Rider[]): string[] {
    const out = riders.map((a) => JSON.stringify(a));
    for (const a of riders) if (a.type === "ack" && this.renderFailedAt(a.seq)) out.push(JSON.stringify(renderFailed(a.id)));
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
  resume(from: ResumePoint, ws?: WebSocket): { frames: string[]; seq: number } {
    const frame = this.renderFrame();
    const { seq, rid } = frame;
    const { since } = from;
    const sameLog = from.epoch === undefined || from.epoch === this.#epoch;
    let frames: string[] | undefined;
    if (sameLog && since === seq && (from.rid === undefined || from.rid === rid)) frames = [];
    else if (sameLog && since !== undefined && since < seq) frames = this.#buffer.since(since, from.rid, seq, rid);
    const full = frames === undefined;
    frames ??= [JSON.stringify(frame)];
    const last = this.#last!;
    if (ws === undefined || last.slots.length === 0) return { frames, seq };
    // The client's slots show some viewer's values (its own from before, the page's initial ones):
    // after a full render they are the initial viewer's, otherwise unknown, so all are sent.
    if (full) this.#shown.delete(ws);
    else this.#shown.set(ws, new Map());
    const own = this.#forSocket(ws, last, full ? frames[0] : undefined, undefined, full, undefined, new Map());
    return { frames: full ? [...own] : [...frames, ...own], seq };
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
