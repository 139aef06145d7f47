/**
 * A simulated hub object around the REAL RelayCore and RelayLinks, as
 * durable-objects/cluster/hub.ts uses them: the root pushes to it, it pushes
 * each delivered frame on to its relays (batched, one call in flight each),
 * answers their fetches with RelayCore.answer and passes the rest to the
 * root (one call per point at a time), and beats to the root like a relay.
 * It persists its delivered head and its relay links; evicted or restarted,
 * it wakes with a new core at that head and an empty ring.
 */
import { RelayCore, type FetchKind, type RelayHead } from "../../../durable-objects/cluster/relay-core";
import { RelayLinks } from "../../../durable-objects/cluster/relay-links";
import type { SeqFrame } from "../../../durable-objects/cluster/sequencer";
import { MemoryRelayTable } from "./memory-sql";
import { within } from "./relay";
import { EPOCH, RID, type SimParent, InFlight, type World } from "./world";

export class SimHub implements SimParent {
  readonly name: string;
  readonly #world: World;
  readonly #table = new MemoryRelayTable();
  #links: RelayLinks;
  #core: RelayCore<never> | undefined;
  #persisted: RelayHead | undefined;
  /** This incarnation has attached to the root (RelayHub.#joined). */
  #joined: Promise<void> | undefined;
  readonly #upward = new Map<number | undefined, Promise<SeqFrame[]>>();
  readonly #inflight = new InFlight();
  #pastPushes = 0;
  wakes = 0;
  answered = 0;
  passedUp = 0;

  constructor(world: World, index: number) {
    this.#world = world;
    this.name = `hub-${index}`;
    this.#links = this.#newLinks();
  }

  #newLinks(): RelayLinks {
    return new RelayLinks(this.#table as unknown as SqlStorage, (a) => this.#world.relayTarget(a.name, "hub-push"));
  }

  get pushes(): number {
    return this.#pastPushes + this.#links.calls;
  }

  /** As a relay that attached at the page's render: linked at the root, at seq 0. */
  startAt(seq: number): void {
    this.#persisted = { epoch: EPOCH, seq, rid: RID };
    this.#world.root.links.attach({ name: this.name });
  }

  link(relay: string): void {
    this.#links.attach({ name: relay });
  }

  #awake(): RelayCore<never> {
    if (this.#core) return this.#core;
    this.wakes++;
    const w = this.#world;
    const core = new RelayCore<never>(
      {
        fetchRange: (from, _to, _rid, kind) => this.#call(w.callRoot(kind, () => w.root.frames(from))),
        send: () => undefined,
        onHead: (head) => (this.#persisted = head),
        onFrame: (frame) => {
          if (this.#core === core) this.#links.push(frame);
        },
        onError: () => w.errors.relayErrors++,
      },
      { ring: w.config.relayRing, clock: w.relayClock, ...(this.#persisted ? { start: this.#persisted } : {}) },
    );
    this.#core = core;
    return core;
  }

  push(frames: readonly SeqFrame[]): void {
    this.#awake().ingest(frames);
  }

  /** A relay's relayAttach: once per wake the hub attaches to the root and waits (up to 5 s) for its head. */
  attach(relay: string): Promise<number> {
    return this.#world.callHub(async () => {
      await (this.#joined ??= this.#attachUp(true).catch((err: unknown) => {
        this.#joined = undefined;
        throw err;
      }));
      this.#links.attach({ name: relay });
      return this.#awake().head?.seq ?? this.#world.root.head;
    });
  }

  detach(relay: string): Promise<void> {
    return this.#world.callHub(() => this.#links.detach(relay));
  }

  /** relayFrames: from the ring or kept render, else from the root (shared per point); the root's diffs feed the hub too. */
  fetch(from: number | undefined, kind: FetchKind): Promise<SeqFrame[]> {
    return this.#world.callHub(() => {
      const mine = this.#awake().answer(from, EPOCH);
      if (mine && mine.length > 0) {
        this.answered++;
        return mine;
      }
      let up = this.#upward.get(from);
      if (!up) {
        this.passedUp++;
        const w = this.#world;
        up = this.#call(w.callRoot(kind, () => w.root.frames(from))).finally(() => this.#upward.delete(from));
        this.#upward.set(from, up);
        void up.then((frames) => this.#core?.ingest(frames.filter((f) => f.from !== undefined)), () => undefined);
      }
      return up;
    });
  }

  /** The hub's alarm: re-attach to the root (learning its head: a lost tail is fetched). */
  beat(): void {
    void this.#attachUp(false).catch(() => {});
  }

  #attachUp(wait: boolean): Promise<void> {
    const w = this.#world;
    return this.#call(
      w.callRoot(wait ? "attach" : "heartbeat", () => {
        w.root.links.attach({ name: this.name });
        return w.root.head;
      }),
    ).then((head) => {
      const core = this.#awake();
      core.announce(EPOCH, head);
      if (wait) return within(core.reached(EPOCH, head), 5000, w);
    });
  }

  #call<T>(p: Promise<T>): Promise<T> {
    return this.#inflight.track(p);
  }

  /** Out of memory (only when idle, as the platform hibernates): the ring, sequencer and queued pushes are lost; links and head persist. */
  evict(): void {
    this.#inflight.whenIdle(this.#world.clock, () => this.restart());
  }

  /** Restarted (a deploy): what was in memory is gone, RelayLinks reads its table again. */
  restart(): void {
    this.#core = undefined;
    this.#joined = undefined;
    this.#pastPushes += this.#links.calls;
    this.#links = this.#newLinks();
  }
}
