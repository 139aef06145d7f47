/**
 * A simulated relay object around the REAL RelayCore (its Sequencer,
 * FrameRing and kept render): what durable-objects/cluster/relay.ts does
 * around the core is reproduced here on simulated time. It persists only its
 * delivered head; evicted (hibernation) it keeps its sockets and wakes with a
 * new core at that head, restoring every viewer; crashed, its sockets close.
 * A connection to a relay not attached (or not caught up since it woke)
 * attaches first and waits, up to 5 s, for the root's head, as Relay.fetch does.
 */
import { SharedCall } from "../../../durable-objects/cluster/parent-backoff";
import { RelayCore, type RelayHead } from "../../../durable-objects/cluster/relay-core";
import type { SeqFrame } from "../../../durable-objects/cluster/sequencer";
import { EPOCH, RID, type SimParent, InFlight, type World } from "./world";

/** Resolves when `p` does or after `ms` of simulated time, whichever is first (Relay's `within`). */
export function within(p: Promise<void>, ms: number, w?: World): Promise<void> {
  return w ? Promise.race([p, new Promise<void>((resolve) => w.clock.after(ms, resolve, true))]) : p;
}

export class SimRelay {
  readonly index: number;
  readonly name: string;
  readonly #world: World;
  /** The root, or the relay's hub. */
  readonly #parent: SimParent;
  #core: RelayCore<number> | undefined;
  /** What the real relay keeps in SQLite: the head its viewers were brought to, and whether it is attached. */
  #persisted: RelayHead | undefined;
  attached = false;
  /** This incarnation has attached (Relay.#synced): later connections go straight in. */
  #synced = false;
  /** Viewers with an open socket that said hello (hibernation keeps them). */
  readonly members = new Set<number>();
  #pastRange = 0;
  #pastRender = 0;
  #pastResume = 0;
  wakes = 0;
  readonly #attaching = new SharedCall();
  /** Root calls in flight: an object waiting on I/O is not hibernated, so an eviction waits for them. */
  readonly #inflight = new InFlight();

  constructor(world: World, index: number, parent: SimParent = world.rootParent) {
    this.#world = world;
    this.#parent = parent;
    this.index = index;
    this.name = `relay-${index}`;
  }

  get rangeFetches(): number {
    return this.#pastRange + (this.#core?.rangeFetches ?? 0);
  }
  get renderFetches(): number {
    return this.#pastRender + (this.#core?.renderFetches ?? 0);
  }
  get resumeFetches(): number {
    return this.#pastResume + (this.#core?.resumeFetches ?? 0);
  }

  /** The first page view rendered seq 0: the relay starts attached at it, like one that attached and delivered it. */
  startAt(seq: number): void {
    this.#persisted = { epoch: EPOCH, seq, rid: RID };
    this.attached = true;
    this.#parent.link(this.name);
  }

  /** The core, woken with the persisted head (and every viewer restored to it) when the object was not in memory. */
  #awake(): RelayCore<number> {
    if (this.#core) return this.#core;
    this.wakes++;
    const w = this.#world;
    const core = new RelayCore<number>(
      {
        fetchRange: (from, _to, _rid, kind) => this.#call(this.#parent.fetch(from, kind)),
        // A crashed instance's sockets are gone: what its late answers would send reaches no one.
        send: (v, text) => {
          if (this.#core === core && w.viewers.relay[v] === this.index) w.toViewer(v, text);
        },
        onHead: (head) => (this.#persisted = head),
        onError: () => w.errors.relayErrors++,
      },
      { ring: w.config.relayRing, clock: w.relayClock, ...(this.#persisted ? { start: this.#persisted } : {}) },
    );
    this.#core = core;
    for (const v of this.members) core.restore(v);
    return core;
  }

  push(frames: readonly SeqFrame[]): void {
    this.#awake().ingest(frames);
  }

  #call<T>(p: Promise<T>): Promise<T> {
    return this.#inflight.track(p);
  }

  /** Out of memory, sockets kept (hibernation: only when idle, so it waits for calls in flight and pending retries); the next push, beat or hello wakes it. */
  evict(): void {
    const w = this.#world;
    this.#inflight.whenIdle(w.clock, () => (this.#core?.busy ? w.clock.after(100, () => this.evict()) : this.#retire()));
  }

  /** Crashed or redeployed: every socket closes. Returns the viewers, each with what it shows. */
  crash(): number[] {
    this.#retire();
    const gone = [...this.members];
    this.members.clear();
    const now = this.#world.clock.now;
    for (const v of gone) this.#world.viewers.close(v, now);
    return gone;
  }

  #retire(): void {
    this.#pastRange += this.#core?.rangeFetches ?? 0;
    this.#pastRender += this.#core?.renderFetches ?? 0;
    this.#pastResume += this.#core?.resumeFetches ?? 0;
    this.#core?.stop();
    this.#core = undefined;
    this.#attaching.reset();
    this.#synced = false;
  }

  /** A viewer's upgrade arrived (its hello with it): attach first when not attached, then join with what it shows. */
  connect(v: number, shows: number): void {
    const w = this.#world;
    const conn = w.viewers.conn[v]!;
    const join = () => {
      if (w.viewers.conn[v] !== conn) return;
      this.members.add(v);
      this.#awake().join(v, shows >= 0 ? { since: shows, epoch: EPOCH, rid: RID } : {});
    };
    if (this.attached && this.#synced) return join();
    this.#connectAttach().then(join, () => {
      // Relay.fetch threw: the upgrade fails and the browser retries after its backoff.
      if (w.viewers.conn[v] !== conn) return;
      w.clock.after(w.between(w.config.reconnectMs), () => this.connect(v, shows));
    });
  }

  /** Relay.#connectAttach: one attach for concurrent connects; none while the parent's calls are in backoff (the connect fails at once). */
  #connectAttach(): Promise<void> {
    return this.#attaching.run(this.#awake().backoff, () => {
      this.#synced = true;
      return this.#attach(true);
    });
  }

  /** relayAttach: the parent links this relay and answers its head; the core announces it (a lost tail is fetched), `wait`: until it has it (at most 5 s). */
  #attach(wait = false): Promise<void> {
    const w = this.#world;
    return this.#call(this.#parent.attach(this.name, wait ? "attach" : "heartbeat"))
      .then((head) => {
        this.attached = true;
        const core = this.#awake();
        core.announce(EPOCH, head);
        if (wait) return within(core.reached(EPOCH, head), 5000, w);
      });
  }

  /** The alarm: with no viewers it detaches and sleeps; else it re-attaches (the heartbeat) and retries what waits. */
  beat(): void {
    const w = this.#world;
    if (this.members.size === 0) {
      if (!this.attached) return;
      this.attached = false;
      void this.#parent.detach(this.name).catch(() => {});
      return;
    }
    this.#attach().then(
      () => this.#core?.retry(),
      () => {},
    );
  }

  leave(v: number): void {
    this.members.delete(v);
    this.#core?.leave(v);
  }
}
