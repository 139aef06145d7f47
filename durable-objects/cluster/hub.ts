/**
 * The hub Durable Object: an optional level between a root and its relays,
 * for fan-outs too large for one root to push to every relay (one hub per
 * region, or a few). It holds no viewer sockets. It takes its parent's frames
 * through the same RelayCore a relay uses (Sequencer, FrameRing, kept render)
 * and pushes each delivered frame on to its relays through RelayLinks
 * (batched, one call in flight per relay), answers their gap and resume
 * fetches from its ring (asking its own parent for what the ring cannot
 * prove), passes their actions up unchanged, and folds their presence reports
 * into one report of its own, at most every ~1.5 s. To a relay it is the root:
 * the same five calls (ParentApi). It persists only whom it relays, where its
 * chain was delivered to, and which relays are attached (RelayLinks).
 */
import { DurableObject } from "cloudflare:workers";
import type { PresenceAck, RelayActionAnswer, RelayAttachment } from "../component";
import { defaultOptions } from "../options";
import { ErrorCodes } from "../realtime/protocol";
import { HUB_BINDING, namespaceIn, REGISTRY_BINDING, registryName, RELAY_BINDING, type HubSetup } from "./bindings";
import type { RelayHeartbeat, RelayPresenceReport } from "./contracts";
import { ObjectState } from "./object-state";
import { rootOf, type ParentApi } from "./parent";
import { parsePresenceReport, RelayPresenceSet } from "./presence-aggregate";
import { PresenceReporter } from "./presence-reporter";
import { ringOptions, within, type RegistryApi } from "./relay";
import { RelayCore, type RelayHead } from "./relay-core";
import { RelayLinks, type RelayAddress, type RelayTarget } from "./relay-links";
import type { SeqFrame } from "./sequencer";

/** How long a woken hub's first attach waits for its parent's head before answering its relay anyway. */
const JOIN_WAIT_MS = 5000;

/** What the hub learned from its parent on attach, kept across wakes (its relays are told the same). */
type Learned = Omit<RelayAttachment, "head">;

export class RelayHub extends DurableObject {
  #setup: HubSetup | undefined;
  readonly #core: RelayCore<never>;
  readonly #children: RelayLinks;
  #attached: boolean;
  #learned: Learned | undefined;
  /** The attach of this instance to its parent (once per wake, shared by the relays attaching meanwhile). */
  #joined: Promise<void> | undefined;
  readonly #state: ObjectState;
  /** Each relay's latest report (a per-relay state CRDT, as the root keeps one per child). */
  readonly #childPresence = new RelayPresenceSet();
  #presence: PresenceReporter | undefined;
  #presenceTimer: ReturnType<typeof setTimeout> | undefined;
  /** Fetches passed to the parent, shared by the relays asking for the same range meanwhile. */
  readonly #upward = new Map<string, Promise<SeqFrame[]>>();
  /** Relays' fetches answered here, and those passed up (for tests and benchmarks). */
  answered = 0;
  passedUp = 0;

  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    super(ctx, env);
    this.#state = new ObjectState(ctx.storage.sql, "_stratus_hub");
    this.#setup = this.#read<HubSetup>("setup");
    this.#attached = this.#read<boolean>("attached") ?? false;
    this.#learned = this.#read<Learned>("learned");
    const start = this.#read<RelayHead>("head");
    this.#children = new RelayLinks(ctx.storage.sql, (a) => namespaceIn(env, a.binding ?? RELAY_BINDING, a.jurisdiction).getByName(a.name) as unknown as RelayTarget);
    this.#core = new RelayCore<never>(
      {
        fetchRange: (from, _to, rid) => this.#parent().relayFrames(from, this.#core.head?.epoch, rid),
        send: () => undefined,
        onHead: (head) => this.#state.headMoved(head),
        onFrame: (frame) => this.#children.push(frame),
        onError: (err) => console.error("hub: fetching from the parent failed", err),
      },
      { ring: ringOptions(this.#learned?.resumeFrames ?? defaultOptions.resumeBuffer), ...(start ? { start } : {}) },
    );
  }

  // ---- from the parent ----

  /** The parent's frames, batched; delivered ones go on to every attached relay. */
  push(frames: SeqFrame[]): void {
    this.#core.ingest(frames);
  }

  /** The registry gave up on this hub: it stops pulling from its parent until a relay attaches again. */
  async drop(): Promise<void> {
    await this.#detach(false);
  }

  // ---- from its relays: the parent API (ParentApi) ----

  /** A relay joins (on its first viewer and every heartbeat): it learns the head, limits and ring size of the root, through this hub. */
  async relayAttach(relay: RelayAddress, setup: HubSetup): Promise<RelayAttachment> {
    if (JSON.stringify(setup) !== JSON.stringify(this.#setup)) this.#write("setup", (this.#setup = setup));
    await (this.#joined ??= this.#join().catch((err: unknown) => {
      this.#joined = undefined;
      throw err;
    }));
    this.#children.attach(relay);
    if ((await this.ctx.storage.getAlarm()) === null) await this.#beatLater();
    const head = this.#core.head;
    return { ...(head ? { head: { epoch: head.epoch, seq: head.seq } } : {}), ...this.#learned! };
  }

  relayDetach(name: string): void {
    this.#children.detach(name);
  }

  /**
   * A relay's gap fill or old resume: from this hub's ring or kept render when they can answer as
   * the root would, else from its parent (one call per range, however many relays ask). Diffs
   * the parent answers also feed this hub: a relay that asks for more than the hub has (an ack's
   * head it has not been pushed yet) brings the hub forward with it.
   */
  async relayFrames(from: number | undefined, epoch?: string, rid?: string): Promise<SeqFrame[]> {
    const mine = this.#core.answer(from, epoch, rid);
    if (mine && mine.length > 0) {
      this.answered++;
      return mine;
    }
    const point = `${from ?? ""}:${epoch ?? ""}:${rid ?? ""}`;
    let up = this.#upward.get(point);
    if (!up) {
      this.passedUp++;
      up = this.#parent()
        .relayFrames(from, epoch, rid)
        .finally(() => this.#upward.delete(point));
      this.#upward.set(point, up);
      void up.then((frames) => this.#core.ingest(frames.filter((f) => f.from !== undefined)), () => undefined);
    }
    return up;
  }

  /** A relay viewer's action goes to the root unchanged (its id is the idempotency key there). */
  relayAction(viewer: { id: string; user?: string; client?: string }, frame: { id: string; name: string; args?: unknown }): Promise<RelayActionAnswer> {
    return this.#parent().relayAction(viewer, frame);
  }

  /** A relay's presence: merged per relay; the sum goes up as this hub's own report, at most once per interval. */
  receivePresence(report: RelayPresenceReport): PresenceAck {
    const parsed = parsePresenceReport(report);
    if (!parsed.ok) return { ok: false, code: ErrorCodes.badFrame, message: parsed.message };
    const merged = this.#childPresence.merge(parsed.report, Date.now());
    const presence = this.#reporter();
    if (merged.applied && presence) {
      for (const e of parsed.report.joins) presence.join(e);
      for (const id of parsed.report.leaves) presence.leave(id);
      // The children's counts are the truth; the samples only travel.
      presence.resync(merged.total);
      this.#pollPresenceSoon();
    }
    return { ok: true, applied: merged.applied, total: merged.total };
  }

  stats(): { relays: string[]; head: RelayHead | undefined; attached: boolean; watching: number; pushes: number; answered: number; passedUp: number; rangeFetches: number; renderFetches: number } {
    return {
      relays: this.#children.names(),
      head: this.#core.head,
      attached: this.#attached,
      watching: this.#childPresence.total(Date.now()),
      pushes: this.#children.calls,
      answered: this.answered,
      passedUp: this.passedUp,
      rangeFetches: this.#core.rangeFetches,
      renderFetches: this.#core.renderFetches,
    };
  }

  // ---- platform ----

  /** The heartbeat: re-attach to the parent (exposing a lost tail), report to the registry, keep presence alive; idle, it sleeps. */
  override async alarm(): Promise<void> {
    if (!this.#setup) return this.ctx.storage.deleteAlarm();
    const now = Date.now();
    this.#childPresence.expire(now);
    const presence = this.#reporter();
    presence?.resync(this.#childPresence.total(now));
    if (this.#children.size === 0) {
      await presence?.flush();
      return this.#detach(true);
    }
    await this.#attach(false);
    await this.#report();
    await presence?.poll();
    await this.#beatLater();
  }

  // ---- internals ----

  /** Once per wake: attached and caught up to the parent's head before the first relay is answered. */
  async #join(): Promise<void> {
    await this.#attach(true);
    await this.#report();
  }

  async #attach(waitForHead: boolean): Promise<void> {
    const setup = this.#need();
    const { head, ...learned } = await this.#parent().relayAttach({ name: setup.hub, binding: HUB_BINDING, ...(setup.jurisdiction ? { jurisdiction: setup.jurisdiction } : {}) });
    if (JSON.stringify(learned) !== JSON.stringify(this.#learned)) this.#write("learned", (this.#learned = learned));
    this.#core.resizeRing(ringOptions(learned.resumeFrames));
    if (!this.#attached) this.#write("attached", (this.#attached = true));
    if (head) {
      this.#core.announce(head.epoch, head.seq);
      if (waitForHead) await within(this.#core.reached(head.epoch, head.seq), JOIN_WAIT_MS);
    }
  }

  async #report(): Promise<void> {
    const setup = this.#need();
    const h = this.#core.head;
    const beat: RelayHeartbeat = {
      relay: setup.hub,
      component: setup.component,
      key: setup.key,
      sockets: this.#children.size,
      capacity: 0,
      head: h ? { epoch: h.epoch, seq: h.seq } : null,
      kind: "hub",
      ...(setup.location ? { location: setup.location } : {}),
      at: Date.now(),
    };
    try {
      await this.#registry(setup).heartbeat(beat, setup.jurisdiction, setup.heartbeatMs);
    } catch (err) {
      // The registry is off the data path.
      console.error("hub: heartbeat to the registry failed", err);
    }
  }

  #beatLater(): Promise<void> {
    return this.ctx.storage.setAlarm(Date.now() + this.#need().heartbeatMs);
  }

  async #detach(tellRegistry: boolean): Promise<void> {
    await this.ctx.storage.deleteAlarm();
    this.#joined = undefined;
    const setup = this.#setup;
    if (!setup || !this.#attached) return;
    this.#write("attached", (this.#attached = false));
    await this.#parent().relayDetach(setup.hub).catch((err: unknown) => console.error("hub: detach failed", err));
    if (tellRegistry) await this.#registry(setup).forget(setup.hub).catch((err: unknown) => console.error("hub: registry forget failed", err));
  }

  #reporter(): PresenceReporter | undefined {
    const setup = this.#setup;
    if (!setup) return undefined;
    this.#presence ??= new PresenceReporter({ relay: setup.hub, send: (report) => this.#parent().receivePresence(report), count: this.#childPresence.total(Date.now()) });
    return this.#presence;
  }

  /** As a relay does: a due report from a short timer; the keepalive rides on the alarm. */
  #pollPresenceSoon(): void {
    if (this.#presenceTimer !== undefined || !this.#presence) return;
    this.#presenceTimer = setTimeout(
      () => {
        this.#presenceTimer = undefined;
        void this.#presence?.poll().then((sent) => {
          if (!sent && this.#presence && this.#presence.nextAt() - Date.now() < this.#need().heartbeatMs) this.#pollPresenceSoon();
        });
      },
      Math.max(0, this.#presence.nextAt() - Date.now()),
    );
  }

  #need(): HubSetup {
    if (!this.#setup) throw new Error("This hub has not been set up by a relay's attach yet.");
    return this.#setup;
  }

  #parent(): ParentApi {
    return rootOf(this.env, this.#need());
  }

  #registry(setup: HubSetup): RegistryApi {
    return namespaceIn(this.env, REGISTRY_BINDING, setup.jurisdiction).getByName(registryName(setup.component, setup.key)) as unknown as RegistryApi;
  }

  #read<T>(key: string): T | undefined {
    return this.#state.read<T>(key);
  }

  #write(key: string, value: unknown): void {
    this.#state.write(key, value);
  }
}
