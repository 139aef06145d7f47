/**
 * A subscribed instance's side of topic delivery: per topic root, the same
 * Sequencer a relay runs (in order, once, a gap filled with one range fetch
 * from the registry), and a cursor (epoch, seq) in SQLite, so an instance
 * woken from eviction drops what it already applied and asks for what it
 * missed. Entries are applied one after another through `apply` (the
 * component's receiveBroadcast, idempotent by event id: an entry applied just
 * before an eviction, whose cursor write was lost, is not applied twice).
 */
import type { BroadcastEvent, DispatchResult } from "../dispatch-result";
import { Sequencer, type Delivery, type SeqFrame } from "./sequencer";
import type { TopicEntry } from "./topic-log";

/** The registry as a subscriber calls it (topic-registry.ts). */
export interface TopicSource {
  topicFrames(sub: string, from: number | undefined, epoch?: string): Promise<SeqFrame[]>;
}

interface Root {
  sub: string;
  sequencer: Sequencer;
  /** Entries apply one after another, in chain order. */
  applying: Promise<void>;
}

export class TopicInbox {
  readonly #sql: SqlStorage;
  readonly #source: (root: string) => TopicSource;
  readonly #apply: (event: BroadcastEvent) => Promise<DispatchResult | { ok: false; message: string }>;
  readonly #roots = new Map<string, Root>();

  constructor(sql: SqlStorage, source: (root: string) => TopicSource, apply: (event: BroadcastEvent) => Promise<DispatchResult>) {
    this.#sql = sql;
    this.#source = source;
    this.#apply = apply;
    sql.exec("CREATE TABLE IF NOT EXISTS _stratus_topic_inbox (root TEXT PRIMARY KEY, epoch TEXT NOT NULL, seq INTEGER NOT NULL)");
  }

  /** Entries pushed by the registry of `root`, for this instance (`sub`: its name there), in any order and multiplicity. */
  receive(root: string, sub: string, frames: readonly SeqFrame[]): void {
    this.#root(root, sub).sequencer.acceptAll(frames);
  }

  /** The registry's last entry for this instance: exposes a lost tail. */
  announce(root: string, sub: string, epoch: string, seq: number): void {
    this.#root(root, sub).sequencer.announce(epoch, seq);
  }

  /** Resolves once every entry delivered so far is applied (tests, and a caller that wants to read after). */
  async settled(root: string): Promise<void> {
    await this.#roots.get(root)?.applying;
  }

  cursor(root: string): { epoch: string; seq: number } | undefined {
    return this.#sql.exec<{ epoch: string; seq: number }>("SELECT epoch, seq FROM _stratus_topic_inbox WHERE root = ?", root).toArray()[0];
  }

  #root(root: string, sub: string): Root {
    let r = this.#roots.get(root);
    if (r) return r;
    const start = this.cursor(root);
    const state: Root = {
      sub,
      applying: Promise.resolve(),
      sequencer: new Sequencer({
        ...(start ? { start } : {}),
        fetchRange: (from) => this.#source(root).topicFrames(state.sub, from, state.sequencer.epoch),
        deliver: (d) => this.#deliver(root, state, d),
        onError: (err) => console.error(`topics: fetching from the registry of "${root}" failed`, err),
      }),
    };
    this.#roots.set(root, (r = state));
    return r;
  }

  #deliver(root: string, r: Root, d: Delivery): void {
    // A new epoch (the registry's log was reset): the new log's entries follow from its chain start.
    if (d.type === "reset") return;
    const f = d.frame;
    const entry = f.text === "" ? undefined : (JSON.parse(f.text) as TopicEntry);
    r.applying = r.applying.then(async () => {
      if (entry) {
        const result = await this.#apply(entry.event).catch((err: unknown) => ({ ok: false as const, message: String(err) }));
        // Like a frame, an entry is delivered once: a handler that failed is logged, not retried (use a queued listener for retries).
        if (!result.ok) console.error(`topics: ${entry.topic} event ${entry.event.id} was not applied`, result);
      }
      this.#sql.exec("INSERT OR REPLACE INTO _stratus_topic_inbox (root, epoch, seq) VALUES (?, ?, ?)", root, f.epoch, f.seq);
    });
  }
}
