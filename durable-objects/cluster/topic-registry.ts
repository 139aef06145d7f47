import { DurableObject } from "cloudflare:workers";
import type { BroadcastEvent } from "../dispatch-result";
import { namespaceIn } from "./bindings";
import { ClusterManager } from "./cluster-manager";
import { RelayLinks, type RelayAddress, type RelayTarget } from "./relay-links";
import type { SeqFrame } from "./sequencer";
import { TopicLog, type TopicDirectory } from "./topic-log";
import { isWildcard, matches, parsePattern, parseTopic, topicRoot, TopicError } from "./topic-pattern";

/** A subscriber: one live component instance, as broadcasts address it. */
export interface TopicSubscriber {
  component: string;
  key: string;
}

export type TopicResult<T> = { ok: true; value: T } | { ok: false; message: string };

const MAX_NAME = 512;
/** How long after a publish the registry tells each subscriber its last entry (a lost tail push is then fetched). */
const ANNOUNCE_MS = 2000;

/** A subscribed instance as the registry calls it (Component's topic RPC). */
interface TopicReceiver {
  receiveTopic(root: string, sub: string, frames: SeqFrame[]): Promise<void>;
  topicHead(root: string, sub: string, epoch: string, seq: number): Promise<void>;
}

/** What a publish did: the entry's seq in this root's log, and how many instances it was pushed to. */
export interface Published {
  seq: number;
  subscribers: number;
  duplicate: boolean;
}

/**
 * The subscriptions under one topic root (`project` holds `project.*`,
 * `project.7`, `project.**`), in SQLite so they outlive eviction and deploys.
 * Exact patterns are found by index; wildcard ones are few per root and are
 * matched segment by segment. It is also the root of the topic's delivery
 * tree: a publish is logged (TopicLog: one seq per entry, each subscriber's own
 * chain through it) and pushed to every subscribed instance through RelayLinks
 * (batched, one call in flight per instance, never retried: the instance's
 * Sequencer fetches what it missed, and an announce after each burst exposes a
 * lost tail). Each instance applies an entry through its receiveBroadcast
 * (idempotent by event id) and its normal frame path.
 */
export class TopicRegistry extends DurableObject {
  readonly #sql: SqlStorage;
  readonly #log: TopicLog;
  readonly #links: RelayLinks;
  #rootName: string | undefined;

  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    super(ctx, env);
    this.#sql = ctx.storage.sql;
    this.#log = new TopicLog(ctx.storage.sql);
    this.#links = new RelayLinks(ctx.storage.sql, (a) => this.#receiver(a));
    this.#sql.exec(`CREATE TABLE IF NOT EXISTS _stratus_topic_subs (
      pattern TEXT NOT NULL, component TEXT NOT NULL, key TEXT NOT NULL, wild INTEGER NOT NULL, at INTEGER NOT NULL,
      PRIMARY KEY (pattern, component, key))`);
    this.#sql.exec("CREATE INDEX IF NOT EXISTS _stratus_topic_subs_wild ON _stratus_topic_subs (wild) WHERE wild = 1");
  }

  /** Adds a subscription; `value` is false when it was there already. */
  subscribe(pattern: string, subscriber: TopicSubscriber): TopicResult<boolean> {
    return guard(() => {
      parsePattern(pattern);
      const s = checkSubscriber(subscriber);
      const before = this.#sql.exec("SELECT 1 FROM _stratus_topic_subs WHERE pattern = ? AND component = ? AND key = ?", pattern, s.component, s.key).toArray().length;
      if (before > 0) return false;
      this.#sql.exec("INSERT INTO _stratus_topic_subs (pattern, component, key, wild, at) VALUES (?, ?, ?, ?, ?)", pattern, s.component, s.key, isWildcard(pattern) ? 1 : 0, Date.now());
      return true;
    });
  }

  /** Removes a subscription; `value` is false when there was none. */
  unsubscribe(pattern: string, subscriber: TopicSubscriber): TopicResult<boolean> {
    return guard(() => {
      const s = checkSubscriber(subscriber);
      return this.#sql.exec("DELETE FROM _stratus_topic_subs WHERE pattern = ? AND component = ? AND key = ?", pattern, s.component, s.key).rowsWritten > 0;
    });
  }

  /** Every instance subscribed to `topic` by any pattern, each once. */
  subscribers(topic: string): TopicResult<TopicSubscriber[]> {
    return guard(() => this.#matching(parseTopic(topic)));
  }

  #matching(segments: string[]): TopicSubscriber[] {
    const topic = segments.join(".");
    const out = new Map<string, TopicSubscriber>();
    const add = (component: string, key: string) => out.set(`${component.length}:${component}${key}`, { component, key });
    for (const r of this.#sql.exec<{ component: string; key: string }>("SELECT component, key FROM _stratus_topic_subs WHERE pattern = ?", topic)) add(r.component, r.key);
    for (const r of this.#sql.exec<{ pattern: string; component: string; key: string }>("SELECT pattern, component, key FROM _stratus_topic_subs WHERE wild = 1")) {
      if (matches(r.pattern.split("."), segments)) add(r.component, r.key);
    }
    return [...out.values()];
  }

  /** This object's topic root (as Topics addresses it), kept from the first publish. */
  #root(): string {
    this.#rootName ??= this.#log.root;
    if (this.#rootName === undefined) throw new Error("This topic registry has had no publish yet.");
    return this.#rootName;
  }

  #stub(sub: string): TopicReceiver {
    const { binding, instance, jurisdiction } = parseSub(sub);
    return namespaceIn(this.env, binding, jurisdiction).getByName(instance) as unknown as TopicReceiver;
  }

  #receiver(a: RelayAddress): RelayTarget {
    const stub = this.#stub(a.name);
    const root = this.#root();
    return { push: (frames) => stub.receiveTopic(root, a.name, frames) };
  }

  /**
   * Logs `event` under `topic` and pushes it to every instance subscribed then, each once; `directory`
   * (the Worker's component registry) says where each component's objects live. Idempotent by
   * (event id, topic): a retried publish (a queue redelivery) logs and pushes nothing again.
   */
  async publish(topic: string, event: BroadcastEvent, directory: TopicDirectory): Promise<TopicResult<Published>> {
    const r = guard(() => {
      parseTopic(topic);
      checkEvent(event);
      const root = topicRoot(topic);
      if (this.#rootName !== root) this.#log.root = this.#rootName = root;
      const seen = this.#log.logged(event.id, topic);
      if (seen !== undefined) return { seq: seen, subscribers: 0, duplicate: true };
      const addresses = new Map<string, RelayAddress>();
      for (const s of this.#matching(parseTopic(topic))) {
        const address = addressOf(s, directory);
        if (address) addresses.set(address.name, address);
        else console.error(`topics: ${s.component} is not a registered component; its subscription to ${topic} is skipped`);
      }
      const { seq, frames } = this.#log.append({ topic, event }, [...addresses.keys()]);
      for (const [name, frame] of frames) {
        this.#links.attach(addresses.get(name)!);
        this.#links.pushTo(name, frame);
      }
      return { seq, subscribers: frames.size, duplicate: false };
    });
    if (r.ok && !r.value.duplicate && (await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + ANNOUNCE_MS);
    return r;
  }

  /** A subscriber's gap fill: its chain after `from` (undefined: from its start), or a chain start where what it missed is gone. */
  topicFrames(sub: string, from: number | undefined, epoch?: string): SeqFrame[] {
    return this.#log.frames(sub, from, epoch);
  }

  /** After a burst: every instance sent something since is told its last entry, so a lost tail push is fetched. */
  override async alarm(): Promise<void> {
    const epoch = this.#log.epoch;
    const root = this.#root();
    await Promise.all(
      this.#log.unannounced().map(async ({ sub, last }) => {
        try {
          await this.#stub(sub).topicHead(root, sub, epoch, last);
        } catch (err) {
          console.error(`topics: announcing to ${sub} failed`, err);
        }
      }),
    );
  }

  /** The patterns one instance holds here (to show or to drop them). */
  patternsOf(subscriber: TopicSubscriber): TopicResult<string[]> {
    return guard(() => {
      const s = checkSubscriber(subscriber);
      return this.#sql.exec<{ pattern: string }>("SELECT pattern FROM _stratus_topic_subs WHERE component = ? AND key = ? ORDER BY pattern", s.component, s.key).toArray().map((r) => r.pattern);
    });
  }
}

/** Bad input comes back as a message the caller can show, never as a thrown error that kills the call. */
function guard<T>(work: () => T): TopicResult<T> {
  try {
    return { ok: true, value: work() };
  } catch (err) {
    if (err instanceof TopicError) return { ok: false, message: err.message };
    throw err;
  }
}

/** A subscriber's name in the log and links: the object it is (binding, jurisdiction, object name), so two components on one object are one subscriber. */
function addressOf(s: TopicSubscriber, directory: TopicDirectory): RelayAddress | undefined {
  const d = Object.hasOwn(directory, s.component) ? directory[s.component] : undefined;
  if (!d) return undefined;
  const instance = d.shards !== undefined ? new ClusterManager({ shards: d.shards, shardsByComponent: { [s.component]: d.shards } }).instance(s.component, s.key) : s.key;
  return { name: `${d.binding}|${d.jurisdiction ?? ""}|${instance}`, binding: d.binding, ...(d.jurisdiction ? { jurisdiction: d.jurisdiction } : {}) };
}

function parseSub(sub: string): { binding: string; instance: string; jurisdiction?: DurableObjectJurisdiction } {
  const a = sub.indexOf("|");
  const b = sub.indexOf("|", a + 1);
  const jurisdiction = sub.slice(a + 1, b) as DurableObjectJurisdiction | "";
  return { binding: sub.slice(0, a), instance: sub.slice(b + 1), ...(jurisdiction ? { jurisdiction } : {}) };
}

function checkEvent(e: BroadcastEvent): void {
  if (typeof e !== "object" || e === null || typeof e.id !== "string" || e.id.length === 0 || e.id.length > MAX_NAME || typeof e.name !== "string" || typeof e.at !== "number") {
    throw new TopicError("A published event is { id, name, payload, at }: id and name strings, at a time in ms.");
  }
}

function checkSubscriber(s: TopicSubscriber): TopicSubscriber {
  const ok = (v: unknown) => typeof v === "string" && v.length > 0 && v.length <= MAX_NAME;
  if (typeof s !== "object" || s === null || !ok(s.component) || !ok(s.key)) throw new TopicError(`A subscriber is { component, key }: two strings of 1 to ${MAX_NAME} characters.`);
  return { component: s.component, key: s.key };
}
