/**
 * What a relay decides, with no platform types: the parent's frames go
 * through the Sequencer (in order, once, gaps filled with one range fetch),
 * into the FrameRing (resume) and out to every viewer that follows the chain.
 * A viewer gets, on hello, exactly the frames it missed: from the ring, or,
 * for a point older than the ring, from the parent through the ResumeLane (one
 * fetch for every resumer waiting, retried after a backoff when it fails), or
 * else one full render; an epoch change voids what every viewer shows and sends
 * each one the new epoch's render. The full render is kept as the last render
 * the relay saw and brought to the head from the ring on demand (no root call
 * per resume), so a deploy storm costs the root at most one render per relay.
 */
import { applyChange, type Dynamic } from "../../worker/templating/wire";
import type { RenderedNode } from "../../worker/templating/rendered";
import type { AckFrame, DiffFrame, RenderFrame, ServerFrame } from "../realtime/protocol";
import { FrameRing, type FrameRingOptions } from "./frame-ring";
import { ParentBackoff, systemClock, type RelayClock } from "./parent-backoff";
import { ResumeLane, type ResumeAnswer } from "./resume-lane";
import { Sequencer, type Delivery, type SeqFrame } from "./sequencer";

/** Why a relay calls its parent: a gap in the pushed chain, a resume older than its ring, a render. */
export type FetchKind = "gap" | "resume" | "render";

/** The relay's side effects: its parent, its viewers' sockets. */
export interface RelayPort<V> {
  /** The parent's frames from `from` (undefined: a render first) to at least `to`; `rid`: what the resumer shows at `from`. */
  fetchRange(from: number | undefined, to: number, rid: string | undefined, kind: FetchKind): Promise<readonly SeqFrame[]>;
  send(viewer: V, text: string): void;
  /** The delivered head moved (a wrapper persists it, so a woken relay knows where its viewers are). */
  onHead?(head: RelayHead): void;
  /** A frame of the parent's chain was delivered, in order, once (a hub pushes it on to its own relays). */
  onFrame?(frame: SeqFrame): void;
  onError?(err: unknown): void;
}

export interface RelayHead {
  epoch: string;
  seq: number;
  rid: string;
}

/** What a viewer says it shows when it says hello (the wire's hello fields). */
export interface ResumeFrom {
  since?: number;
  epoch?: string;
  rid?: string;
}

interface ViewerState {
  /** The seq this viewer shows (in the ring's epoch), or undefined while it waits for a render. */
  at: number | undefined;
  /** Where it asked to resume from, while it waits (a resume ahead of this relay's head). */
  resume: ResumeFrom | undefined;
  /** Acks held until the viewer shows the frame with their state (`shown`), so ack follows diff as from the root; `text` is one or more frames, comma-joined. */
  acks: { shown: number; text: string }[];
  /** Parked in the resume lane: a parent fetch (or its retry after a backoff) will serve it. */
  parked?: boolean;
  /** Resolves `join`'s promise once the viewer shows something (or leaves). */
  caughtUp?: () => void;
}

export interface RelayCoreOptions {
  ring: FrameRingOptions;
  /** The head a relay woken from hibernation had delivered: its viewers are taken to show it. */
  start?: RelayHead;
  /** Time, timers and randomness for retries after a failed parent call (the platform's by default). */
  clock?: RelayClock;
}

export class RelayCore<V> {
  readonly #port: RelayPort<V>;
  #ringOptions: FrameRingOptions;
  readonly #viewers = new Map<V, ViewerState>();
  #ring: FrameRing;
  readonly #sequencer: Sequencer;
  /** The last full render seen, at or behind the head; brought forward from the ring when a viewer needs it. */
  #render: RenderFrame | undefined;
  #renderText: string | undefined;
  /** A render fetch wanted or in flight: one for every viewer waiting on one. */
  #renderFetch = false;
  /** The relay's own calls to its parent (resumes, renders) after a failure wait for one backoff. */
  readonly #backoff: ParentBackoff;
  readonly #lane: ResumeLane<V>;
  #waiters: { epoch: string; seq: number; resolve: () => void }[] = [];
  /** Root calls made for renders (the sequencer counts its own range fetches). */
  renderFetches = 0;

  constructor(port: RelayPort<V>, options: RelayCoreOptions) {
    this.#port = port;
    this.#ringOptions = options.ring;
    const start = options.start;
    this.#ring = new FrameRing(start?.epoch ?? "", options.ring);
    if (start) this.#ring.rebase(start.epoch, start.seq, start.rid);
    const clock = options.clock ?? systemClock;
    this.#backoff = new ParentBackoff(clock);
    this.#lane = new ResumeLane<V>({
      fetch: (since, rid) => port.fetchRange(since, this.head?.seq ?? since, rid, "resume"),
      serve: (v, since, rid, answer) => this.#serveAnswer(v, since, rid, answer),
      giveUp: (v) => this.#giveUp(v),
      backoff: this.#backoff,
      clock,
      onError: (err) => this.#error(err),
    });
    this.#sequencer = new Sequencer({
      ...(start ? { start: { epoch: start.epoch, seq: start.seq } } : {}),
      fetchRange: (from, to) => port.fetchRange(from, to, undefined, from === undefined ? "render" : "gap"),
      deliver: (d) => this.#deliver(d),
      onError: (err) => this.#error(err),
    });
  }

  get head(): RelayHead | undefined {
    const h = this.#ring.head;
    return h && this.#sequencer.epoch !== undefined && this.#sequencer.head === h.seq ? { epoch: this.#ring.epoch, ...h } : undefined;
  }
  get viewers(): number {
    return this.#viewers.size;
  }
  get rangeFetches(): number {
    return this.#sequencer.fetches;
  }
  /** Fetches for resumes older than the ring (each serving every resumer parked at the time). */
  get resumeFetches(): number {
    return this.#lane.fetches;
  }
  /** Viewers waiting on a resume fetch or its retry: the object has work pending. */
  get parked(): number {
    return this.#lane.parked;
  }
  /** The backoff of every call to the parent: a wrapper's own calls (attach) share it. */
  get backoff(): ParentBackoff {
    return this.#backoff;
  }
  /** Work pending on a timer or a parked resumer: the object must stay in memory for it (relay.ts). */
  get busy(): boolean {
    return this.#lane.parked > 0 || this.#backoff.pending || this.#renderFetch;
  }

  /** The object is gone (a crash, in the simulation): nothing scheduled runs. */
  stop(): void {
    this.#backoff.stop();
  }

  /** New ring limits (the root's resume buffer, learned on attach): the ring restarts at the head. */
  resizeRing(options: FrameRingOptions): void {
    if (options.maxFrames === this.#ringOptions.maxFrames && options.maxBytes === this.#ringOptions.maxBytes) return;
    this.#ringOptions = options;
    const old = this.#ring;
    this.#ring = new FrameRing(old.epoch, options);
    if (old.head) this.#ring.rebase(old.epoch, old.head.seq, old.head.rid);
  }

  /** Frames pushed by the parent, in whatever order and multiplicity they arrived. */
  ingest(frames: readonly SeqFrame[]): void {
    this.#sequencer.acceptAll(frames);
  }

  /** The parent's head (from an attach or a heartbeat): exposes a lost tail, or a new epoch. */
  announce(epoch: string, seq: number): void {
    this.#sequencer.announce(epoch, seq);
  }

  /** Resolves once the head reaches `(epoch, seq)` (at once if it has): a woken relay waits for it before taking a viewer. */
  reached(epoch: string, seq: number): Promise<void> {
    const h = this.head;
    if (h && h.epoch === epoch && h.seq >= seq) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ epoch, seq, resolve }));
  }

  /** A viewer woken with the relay: it shows the head the relay had delivered. */
  restore(viewer: V): void {
    this.#viewers.set(viewer, { at: this.head?.seq, resume: undefined, acks: [] });
  }

  /** A viewer's hello: the frames it missed, or one full render (now, or when the relay has one). */
  join(viewer: V, from: ResumeFrom): Promise<void> {
    const state: ViewerState = { at: undefined, resume: from.since !== undefined ? from : undefined, acks: [] };
    const caughtUp = new Promise<void>((resolve) => (state.caughtUp = resolve));
    this.#viewers.set(viewer, state);
    this.#catchUp(viewer, state);
    return caughtUp;
  }

  leave(viewer: V): void {
    this.#viewers.get(viewer)?.caughtUp?.();
    this.#viewers.delete(viewer);
    this.#lane.leave(viewer);
  }

  /**
   * An action's ack, sent once the viewer shows `shown` (the root's chain head after the commit),
   * folded into the frame that brings it there; at once when it already does or the epoch moved on.
   */
  ack(viewer: V, ack: AckFrame, shown: { epoch: string; seq: number } | undefined, after: readonly ServerFrame[] = []): void {
    const state = this.#viewers.get(viewer);
    if (!state) return;
    const frames = [ack, ...after].map((f) => JSON.stringify(f));
    if (shown === undefined || shown.epoch !== this.#ring.epoch || (state.at !== undefined && state.at >= shown.seq)) {
      return this.#port.send(viewer, frames.length === 1 ? frames[0]! : `[${frames.join(",")}]`);
    }
    const text = frames.join(",");
    state.acks.push({ shown: shown.seq, text });
    // The frame may have been lost on the way: the announce fetches it if it does not come.
    this.#sequencer.announce(shown.epoch, shown.seq);
  }

  #deliver(d: Delivery): void {
    if (d.type === "reset") {
      this.#ring = new FrameRing(d.epoch, this.#ringOptions);
      this.#lane.clear();
      this.#render = undefined;
      this.#renderText = undefined;
      for (const [v, s] of this.#viewers) {
        // Their commits happened: the acks go now, the new epoch's render follows.
        for (const a of s.acks) this.#port.send(v, `[${a.text}]`);
        s.acks = [];
        s.at = undefined;
        s.resume = undefined;
        s.parked = false;
      }
      return;
    }
    const f = d.frame;
    if (f.from === undefined) {
      this.#ring.rebase(f.epoch, f.seq, f.rid);
      this.#render = JSON.parse(f.text) as RenderFrame;
      this.#renderText = f.text;
    } else {
      this.#keepRenderBridged(f.text);
      this.#ring.push({ from: f.from, seq: f.seq, rid: f.rid, text: f.text });
    }
    this.#port.onHead?.({ epoch: f.epoch, seq: f.seq, rid: f.rid });
    this.#port.onFrame?.(f);
    if (this.#waiters.length > 0) {
      const due = this.#waiters.filter((w) => w.epoch !== f.epoch || w.seq <= f.seq);
      this.#waiters = this.#waiters.filter((w) => !due.includes(w));
      for (const w of due) w.resolve();
    }
    for (const [v, s] of this.#viewers) {
      if (f.from === undefined ? s.at !== f.seq : s.at === f.from) {
        this.#sendAt(v, s, f.text, f.seq);
        s.resume = undefined;
      } else if (s.at === undefined && !s.parked) this.#catchUp(v, s);
    }
  }

  /** Brings a waiting viewer to the head: from the ring, else with a full render (kept, or fetched once for all). */
  #catchUp(v: V, s: ViewerState): void {
    const head = this.head;
    if (!head) return this.#fetchRender();
    const r = s.resume;
    if (r?.since !== undefined && (r.epoch === undefined || r.epoch === head.epoch)) {
      if (r.since > head.seq && r.epoch !== undefined) {
        // It saw more than this relay has (it came from a relay further ahead): wait for the parent.
        return this.#sequencer.announce(r.epoch, r.since);
      }
      const a = this.#ring.since(r.since, { ...(r.epoch !== undefined ? { epoch: r.epoch } : {}), ...(r.rid !== undefined ? { rid: r.rid } : {}) });
      if (!("full" in a)) {
        s.resume = undefined;
        if (a.frames.length === 0) {
          s.at = head.seq;
          s.caughtUp?.();
          return this.#flushAcks(v, s);
        }
        for (const [i, f] of a.frames.entries()) {
          if (i < a.frames.length - 1) this.#port.send(v, f.text);
          else this.#sendAt(v, s, f.text, f.seq);
        }
        return;
      }
    }
    // Older than the ring (inside it, the ring's "no" is final: another rid, not a link of the chain).
    const oldest = this.#ring.oldest ?? head.seq;
    if (r?.since !== undefined && r.since < oldest && (r.epoch === undefined || r.epoch === head.epoch)) {
      s.parked = true;
      return this.#lane.park(v, r.since, r.rid);
    }
    this.#sendRender(v, s, head);
  }

  /**
   * A child's fetch, answered as the root answers `relayFrames` where memory allows: the chain after
   * `from` from the ring, or (`from` undefined, or a rid the ring does not chain from) the render at
   * the head. Undefined when only the parent can answer (older than the ring, another epoch, ahead
   * of this head, no render kept): a hub then asks its own parent.
   */
  answer(from: number | undefined, epoch?: string, rid?: string): SeqFrame[] | undefined {
    const head = this.head;
    if (!head || (epoch !== undefined && epoch !== head.epoch)) return undefined;
    if (from !== undefined) {
      if (from > head.seq || from < (this.#ring.oldest ?? head.seq)) return undefined;
      const a = this.#ring.since(from, { epoch: head.epoch, ...(rid !== undefined ? { rid } : {}) });
      if (!("full" in a)) return a.frames.map((f) => ({ epoch: head.epoch, ...f }));
    }
    const text = this.#fullRender(head);
    return text === undefined ? undefined : [{ epoch: head.epoch, seq: head.seq, rid: this.#render!.rid, text }];
  }

  #sendRender(v: V, s: ViewerState, head: RelayHead): void {
    const text = this.#fullRender(head);
    if (text === undefined) return this.#fetchRender();
    s.resume = undefined;
    this.#sendAt(v, s, text, head.seq);
  }

  /**
   * Serves a resumer at `(since, rid)` from the parent's answer for a point at or before it: the
   * answer's frames after `since` (the rid at `since` checked against the chain's), then the ring's
   * after the answer's end. False (it stays parked) when the answer cannot prove that chain.
   */
  #serveAnswer(v: V, since: number, rid: string | undefined, a: ResumeAnswer): boolean {
    const s = this.#viewers.get(v);
    if (!s || s.at !== undefined) return true; // gone, or already shown something: nothing left to serve
    const head = this.head;
    const frames = a.frames;
    const first = frames[0];
    if (!head || !first || frames.some((f) => f.epoch !== head.epoch)) return false;
    let start: number;
    if (since === a.since) {
      if (rid !== a.rid || (first.from !== undefined && first.from !== since)) return false;
      start = 0;
    } else {
      // A newer point on the answer's chain (a render first proves no chain before it).
      if (first.from !== a.since) return false;
      const i = frames.findIndex((f) => f.seq === since);
      if (i < 0 || (rid !== undefined && frames[i]!.rid !== rid)) return false;
      start = i + 1;
    }
    const end = frames[frames.length - 1]!.seq;
    // The relay moved on while the parent answered (or since a kept answer): the ring has the rest.
    const rest = end >= head.seq ? { frames: [] } : this.#ring.since(end);
    if ("full" in rest) return false;
    const out = [...frames.slice(start), ...rest.frames];
    s.parked = false;
    s.resume = undefined;
    if (out.length === 0) {
      s.at = Math.max(since, head.seq);
      s.caughtUp?.();
      this.#flushAcks(v, s);
      return true;
    }
    for (const [i, f] of out.entries()) {
      if (i < out.length - 1) this.#port.send(v, f.text);
      else this.#sendAt(v, s, f.text, f.seq);
    }
    return true;
  }

  /** The parent will not serve this viewer's resume: one full render (kept, or fetched once for all). */
  #giveUp(v: V): void {
    const s = this.#viewers.get(v);
    if (!s) return;
    s.parked = false;
    if (s.at !== undefined) return;
    s.resume = undefined;
    const head = this.head;
    if (head) this.#sendRender(v, s, head);
  }

  /** Sends `text` (which brings the viewer to `seq`) with the acks it makes due, in one message. */
  #sendAt(v: V, s: ViewerState, text: string, seq: number): void {
    s.at = seq;
    s.caughtUp?.();
    if (s.acks.length === 0) return this.#port.send(v, text);
    const due = s.acks.filter((a) => a.shown <= seq);
    if (due.length === 0) return this.#port.send(v, text);
    s.acks = s.acks.filter((a) => a.shown > seq);
    this.#port.send(v, `[${[text, ...due.map((a) => a.text)].join(",")}]`);
  }

  #flushAcks(v: V, s: ViewerState): void {
    const due = s.acks.filter((a) => s.at !== undefined && a.shown <= s.at);
    if (due.length === 0) return;
    s.acks = s.acks.filter((a) => !due.includes(a));
    this.#port.send(v, `[${due.map((a) => a.text).join(",")}]`);
  }

  /** The render at the head, from the kept render and the ring's diffs after it; undefined when the ring cannot bridge them. */
  #fullRender(head: RelayHead): string | undefined {
    const r = this.#render;
    if (!r || r.epoch !== head.epoch) return undefined;
    if (r.seq === head.seq) return (this.#renderText ??= JSON.stringify(r));
    const a = this.#ring.since(r.seq);
    if ("full" in a) return undefined;
    let dynamics: Dynamic = r.dynamics;
    const statics = { ...r.statics };
    let rid = r.rid;
    for (const f of a.frames) {
      const diff = JSON.parse(f.text) as DiffFrame;
      dynamics = applyChange(dynamics, diff.changes);
      if (diff.statics) Object.assign(statics, diff.statics);
      rid = diff.rid;
    }
    this.#render = { type: "render", seq: head.seq, epoch: head.epoch, rid, statics, dynamics: dynamics as RenderedNode };
    return (this.#renderText = JSON.stringify(this.#render));
  }

  /**
   * The kept render is brought to the head just before the ring would drop the frame that bridges
   * it (once per ring's worth of frames), so resumers older than the ring never need the parent.
   */
  #keepRenderBridged(next: string): void {
    const r = this.#render;
    const at = this.#ring.head;
    if (!r || !at || r.seq === at.seq || this.#ring.oldest !== r.seq) return;
    const full = this.#ring.size + 1 > this.#ringOptions.maxFrames || this.#ring.bytes + next.length * 3 > this.#ringOptions.maxBytes;
    // Called while the sequencer has moved on to the frame being pushed: the ring's head is the one to render at.
    if (full) this.#fullRender({ epoch: this.#ring.epoch, ...at });
  }

  /** One render fetch for every viewer waiting on one (concurrent needs share it; after a failure, after the backoff). */
  #fetchRender(): void {
    if (this.#renderFetch) return;
    this.#renderFetch = true;
    this.#backoff.when(this.#askRender);
  }

  readonly #askRender = (): void => {
    this.renderFetches++;
    let failed = false;
    this.#port
      .fetchRange(undefined, this.head?.seq ?? 0, undefined, "render")
      .then((frames) => {
        this.#backoff.succeeded();
        for (const f of frames) {
          const head = this.head;
          if (f.from === undefined && head && f.epoch === head.epoch && f.seq === head.seq) {
            // The render of the state the relay already shows: kept, not delivered again. Another rid at
            // the same seq (the root woke with new templates): the ring's frames lead to the old tree.
            if (f.rid !== this.#ring.head?.rid) this.#ring.rebase(f.epoch, f.seq, f.rid);
            this.#render = JSON.parse(f.text) as RenderFrame;
            this.#renderText = f.text;
          } else this.#sequencer.accept(f);
        }
      })
      .catch((err: unknown) => {
        failed = true;
        this.#backoff.failed();
        this.#error(err);
      })
      .finally(() => {
        this.#renderFetch = false;
        const waiting = [...this.#viewers].filter(([, s]) => s.at === undefined && !s.parked);
        // Failed: asked again once the backoff ends, if anyone still waits.
        if (failed) return void (waiting.length > 0 && this.#fetchRender());
        // Viewers still waiting (the answer was not usable): they ask again on the next frame or retry().
        for (const [v, s] of waiting) if (s.at === undefined && this.head && this.#render?.epoch === this.head.epoch) this.#catchUp(v, s);
      });
  };

  /** Retries what a failed fetch left waiting (a wrapper calls it on its heartbeat). */
  retry(): void {
    for (const [v, s] of this.#viewers) if (s.at === undefined && !s.parked) this.#catchUp(v, s);
  }

  #error(err: unknown): void {
    if (this.#port.onError) this.#port.onError(err);
    else console.error("relay fetch failed", err);
  }
}
