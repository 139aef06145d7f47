/**
 * A topic root's log, the root of its delivery tree: every broadcast to a
 * topic under this root gets the next seq of one epoch, durably, before it is
 * pushed. Each subscriber has its own chain through that log (only the
 * entries it was subscribed to when they were published): an entry sent to a
 * subscriber records the seq of the one sent to it before (`from`), so the
 * subscriber's Sequencer sees a chain like a relay's and can ask for exactly
 * what it missed. Bounded: the oldest entries go past `maxEntries`.
 */
import type { BroadcastEvent } from "../dispatch-result";
import type { SeqFrame } from "./sequencer";

/** Where the registry finds a subscriber's object: what the Worker's component registry knows, per component. */
export type TopicDirectory = Readonly<Record<string, { binding: string; jurisdiction?: DurableObjectJurisdiction; shards?: number }>>;

/** A pushed entry's text: the topic it was published to, and the event (its id is the subscriber's idempotency key). */
export interface TopicEntry {
  topic: string;
  event: BroadcastEvent;
}

/** Entries kept per topic root (a subscriber further behind gets a chain start: what it missed is gone). */
export const TOPIC_LOG_ENTRIES = 4096;

export class TopicLog {
  readonly #sql: SqlStorage;
  readonly #max: number;
  #epoch: string | undefined;

  constructor(sql: SqlStorage, maxEntries = TOPIC_LOG_ENTRIES) {
    this.#sql = sql;
    this.#max = maxEntries;
    sql.exec("CREATE TABLE IF NOT EXISTS _stratus_topic_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
    sql.exec("CREATE TABLE IF NOT EXISTS _stratus_topic_log (seq INTEGER PRIMARY KEY, event_id TEXT NOT NULL, topic TEXT NOT NULL, text TEXT NOT NULL, UNIQUE (event_id, topic))");
    // One row per (subscriber, entry sent to it): its chain. `prev` is the seq of the entry sent to it before.
    sql.exec("CREATE TABLE IF NOT EXISTS _stratus_topic_out (sub TEXT NOT NULL, seq INTEGER NOT NULL, prev INTEGER NOT NULL, PRIMARY KEY (sub, seq))");
    // Per subscriber: where its chain starts (the head when it was first sent to), its last entry, the last seq announced to it.
    sql.exec("CREATE TABLE IF NOT EXISTS _stratus_topic_cursor (sub TEXT PRIMARY KEY, start INTEGER NOT NULL, last INTEGER NOT NULL, announced INTEGER NOT NULL)");
  }

  /** The log's identity: a new one (storage lost) gets a new epoch, so no subscriber's cursor is silently reused. */
  get epoch(): string {
    if (this.#epoch === undefined) {
      const row = this.#sql.exec<{ value: string }>("SELECT value FROM _stratus_topic_meta WHERE key = 'epoch'").toArray()[0];
      this.#epoch = row?.value ?? crypto.randomUUID().replaceAll("-", "").slice(0, 16);
      if (!row) this.#sql.exec("INSERT INTO _stratus_topic_meta (key, value) VALUES ('epoch', ?)", this.#epoch);
    }
    return this.#epoch;
  }

  /** The topic root this log is for (learned from its first publish: an alarm and a woken object need it). */
  get root(): string | undefined {
    return this.#sql.exec<{ value: string }>("SELECT value FROM _stratus_topic_meta WHERE key = 'root'").toArray()[0]?.value;
  }

  set root(root: string) {
    this.#sql.exec("INSERT OR REPLACE INTO _stratus_topic_meta (key, value) VALUES ('root', ?)", root);
  }

  get head(): number {
    return this.#sql.exec<{ seq: number | null }>("SELECT MAX(seq) AS seq FROM _stratus_topic_log").one().seq ?? 0;
  }

  /** The seq of an event already logged for `topic` (a retried publish), if any. */
  logged(eventId: string, topic: string): number | undefined {
    return this.#sql.exec<{ seq: number }>("SELECT seq FROM _stratus_topic_log WHERE event_id = ? AND topic = ?", eventId, topic).toArray()[0]?.seq;
  }

  /** Appends the entry and its link in each subscriber's chain; returns the frame each subscriber is pushed. */
  append(entry: TopicEntry, subs: readonly string[]): { seq: number; frames: Map<string, SeqFrame> } {
    const epoch = this.epoch;
    const head = this.head;
    const seq = head + 1;
    const text = JSON.stringify(entry);
    this.#sql.exec("INSERT INTO _stratus_topic_log (seq, event_id, topic, text) VALUES (?, ?, ?, ?)", seq, entry.event.id, entry.topic, text);
    const frames = new Map<string, SeqFrame>();
    for (const sub of subs) {
      const cursor = this.#cursor(sub);
      const prev = cursor?.last ?? head;
      if (!cursor) this.#sql.exec("INSERT INTO _stratus_topic_cursor (sub, start, last, announced) VALUES (?, ?, ?, ?)", sub, head, seq, head);
      else this.#sql.exec("UPDATE _stratus_topic_cursor SET last = ? WHERE sub = ?", seq, sub);
      this.#sql.exec("INSERT INTO _stratus_topic_out (sub, seq, prev) VALUES (?, ?, ?)", sub, seq, prev);
      frames.set(sub, { epoch, seq, from: prev, rid: "", text });
    }
    this.#trim(seq);
    return { seq, frames };
  }

  /**
   * A subscriber's chain after `from` (undefined: from its start). When `from` is not a link of it
   * (another epoch, trimmed away), the answer begins with a chain start (no `from`, empty text) at the
   * oldest point still held, as a relay's parent answers with a render: what lies before it is gone.
   */
  frames(sub: string, from: number | undefined, epoch?: string): SeqFrame[] {
    const mine = this.epoch;
    const cursor = this.#cursor(sub);
    if (!cursor) return [{ epoch: mine, seq: this.head, rid: "", text: "" }];
    const sameLog = epoch === undefined || epoch === mine;
    const rows = this.#sql
      .exec<{ seq: number; prev: number; text: string }>(
        "SELECT o.seq AS seq, o.prev AS prev, l.text AS text FROM _stratus_topic_out o JOIN _stratus_topic_log l ON l.seq = o.seq WHERE o.sub = ? AND o.seq > ? ORDER BY o.seq",
        sub,
        sameLog && from !== undefined ? from : Number.MIN_SAFE_INTEGER,
      )
      .toArray();
    const chain = rows.map((r): SeqFrame => ({ epoch: mine, seq: r.seq, from: r.prev, rid: "", text: r.text }));
    const links = sameLog && from !== undefined && (chain.length === 0 ? from === cursor.last : chain[0]!.from === from);
    if (links) return chain;
    // A chain start at the oldest point still held: the subscriber's start, or the `from` of its oldest kept entry.
    const startAt = chain[0]?.from ?? cursor.last;
    return [{ epoch: mine, seq: Math.max(startAt, cursor.start), rid: "", text: "" }, ...chain];
  }

  /** Subscribers sent entries since they were last announced to, with their last seq (marked announced). */
  unannounced(): { sub: string; last: number }[] {
    const due = this.#sql.exec<{ sub: string; last: number }>("SELECT sub, last FROM _stratus_topic_cursor WHERE last > announced").toArray();
    this.#sql.exec("UPDATE _stratus_topic_cursor SET announced = last WHERE last > announced");
    return due;
  }

  #cursor(sub: string): { start: number; last: number } | undefined {
    return this.#sql.exec<{ start: number; last: number }>("SELECT start, last FROM _stratus_topic_cursor WHERE sub = ?", sub).toArray()[0];
  }

  /** Drops entries older than the bound, in batches of a tenth, so a publish does not pay for a delete each time. */
  #trim(head: number): void {
    const keepFrom = head - this.#max;
    if (keepFrom <= 0 || keepFrom % Math.max(1, Math.floor(this.#max / 10)) !== 0) return;
    this.#sql.exec("DELETE FROM _stratus_topic_log WHERE seq <= ?", keepFrom);
    this.#sql.exec("DELETE FROM _stratus_topic_out WHERE seq <= ?", keepFrom);
  }
}
