/**
 * A simulated relay: the REAL Sequencer takes the root's lossy pushes, the
 * REAL FrameRing serves resuming viewers. What the later relay Durable Object
 * must do around them is modelled here: a viewer the ring cannot serve is
 * caught up from the root (the ring refills on demand, nothing is persisted),
 * and a viewer never gets a frame that does not follow what it was sent.
 */
import { FrameRing } from "../../../durable-objects/cluster/frame-ring";
import { Sequencer, type Delivery, type SeqFrame } from "../../../durable-objects/cluster/sequencer";
import { diffOf, EPOCH, type Viewer, type World } from "./world";

export class SimRelay {
  readonly #world: World;
  readonly viewers = new Set<Viewer>();
  /** Bumped on restart: callbacks of the previous incarnation are ignored. */
  #gen = 0;
  /** The seq the sequencer delivered last, in this incarnation. */
  #delivered: number | undefined;
  ring!: FrameRing;
  sequencer!: Sequencer;

  constructor(world: World) {
    this.#world = world;
    this.#boot(true);
  }

  /** A fresh incarnation: at creation it starts at seq 0 (the page's render); after a restart it knows nothing. */
  #boot(atStart: boolean): void {
    const gen = ++this.#gen;
    this.#delivered = atStart ? 0 : undefined;
    const w = this.#world;
    this.ring = new FrameRing(EPOCH, w.config.relayRing);
    if (atStart) this.ring.rebase(EPOCH, 0, "r");
    this.sequencer = new Sequencer({
      ...(atStart ? { start: { epoch: EPOCH, seq: 0 } } : {}),
      fetchRange: (from) => {
        w.metrics.relayFetches++;
        return w.callRoot(from);
      },
      deliver: (d) => gen === this.#gen && this.#deliver(d),
      onError: () => {}, // a failed fill is asked again on the next push or heartbeat
    });
  }

  /** Evicted: ring and sequencer lost, every socket closed. Returns the viewers to reconnect. */
  restart(): Viewer[] {
    this.#boot(false);
    const gone = [...this.viewers];
    for (const v of gone) {
      v.conn++;
      v.fetching = false;
    }
    this.viewers.clear();
    return gone;
  }

  /** A viewer's hello with `since` = what it shows. */
  attach(v: Viewer): void {
    v.sent = v.shown;
    v.ready = false;
    this.viewers.add(v);
    this.#catchUp(v);
  }

  #deliver(d: Delivery): void {
    // The sequencer's own promise, checked before the relay's per-viewer filtering could hide a fault.
    if (d.type === "frame") {
      const f = d.frame;
      if (f.seq <= (this.#delivered ?? -1) || (f.from !== undefined && this.#delivered !== undefined && f.from !== this.#delivered)) this.#world.metrics.sequencerViolations++;
      this.#delivered = f.seq;
    } else this.#delivered = undefined;
    if (d.type === "reset") {
      for (const v of this.viewers) (v.sent = undefined), (v.ready = false);
      return;
    }
    const f = d.frame;
    if (f.from === undefined) this.ring.rebase(f.epoch, f.seq, f.rid);
    else this.ring.push({ from: f.from, seq: f.seq, rid: f.rid, text: f.text });
    for (const v of this.viewers) {
      if (v.ready && f.from !== undefined && f.from === v.sent) this.#world.toViewer(v, f);
      else if (v.sent === undefined || f.seq > v.sent) {
        v.ready = false;
        this.#catchUp(v);
      }
    }
  }

  /** Brings a (re)connected or lagging viewer to the relay's head: from the ring, else from the root. */
  #catchUp(v: Viewer): void {
    if (v.fetching || !this.viewers.has(v)) return;
    const head = this.ring.head;
    // A relay with no head yet (just restarted) gets one from its next push; then it catches up.
    if (head === undefined && v.sent !== undefined) return;
    if (head !== undefined && v.sent !== undefined) {
      if (v.sent > head.seq) return; // ahead of this relay (the root answered further): wait for it
      const a = this.ring.since(v.sent);
      if (!("full" in a)) {
        for (const f of a.frames) this.#world.toViewer(v, diffOf(f.seq, f.from));
        v.ready = true;
        return;
      }
    }
    v.fetching = true;
    const gen = this.#gen;
    const conn = v.conn;
    const still = () => gen === this.#gen && conn === v.conn && this.viewers.has(v);
    this.#world.callRoot(v.sent).then(
      (frames: readonly SeqFrame[]) => {
        v.fetching = false;
        if (!still()) return;
        for (const f of frames) if (f.from === undefined ? v.sent === undefined || f.seq > v.sent : f.from === v.sent) this.#world.toViewer(v, f);
        this.#catchUp(v);
      },
      () => {
        v.fetching = false;
        if (still()) this.#world.clock.after(this.#world.between(this.#world.config.hopMs), () => this.#catchUp(v));
      },
    );
  }
}
