import { DurableObject } from "cloudflare:workers";
import { isWildcard, matches, parsePattern, parseTopic, TopicError } from "./topic-pattern";

/** A subscriber: one live component instance, as broadcasts address it. */
export interface TopicSubscriber {
  component: string;
  key: string;
}

export type TopicResult<T> = { ok: true; value: T } | { ok: false; message: string };

const MAX_NAME = 512;

/**
 * The subscriptions under one topic root (`project` holds `project.*`,
 * `project.7`, `project.**`), in SQLite so they outlive eviction and deploys.
 * Exact patterns are found by index; wildcard ones are few per root and are
 * matched segment by segment. It only answers "who is subscribed": the Worker
 * delivers, so each subscriber gets the event through its own receiveBroadcast
 * (idempotent by event id) and its normal frame path.
 */
export class TopicRegistry extends DurableObject {
  readonly #sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    super(ctx, env);
    this.#sql = ctx.storage.sql;
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
    return guard(() => {
      const segments = parseTopic(topic);
      const out = new Map<string, TopicSubscriber>();
      const add = (component: string, key: string) => out.set(`${component.length}:${component}${key}`, { component, key });
      for (const r of this.#sql.exec<{ component: string; key: string }>("SELECT component, key FROM _stratus_topic_subs WHERE pattern = ?", topic)) add(r.component, r.key);
      for (const r of this.#sql.exec<{ pattern: string; component: string; key: string }>("SELECT pattern, component, key FROM _stratus_topic_subs WHERE wild = 1")) {
        if (matches(r.pattern.split("."), segments)) add(r.component, r.key);
      }
      return [...out.values()];
    });
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

function checkSubscriber(s: TopicSubscriber): TopicSubscriber {
  const ok = (v: unknown) => typeof v === "string" && v.length > 0 && v.length <= MAX_NAME;
  if (typeof s !== "object" || s === null || !ok(s.component) || !ok(s.key)) throw new TopicError(`A subscriber is { component, key }: two strings of 1 to ${MAX_NAME} characters.`);
  return { component: s.component, key: s.key };
}
