import type { StoredShape, Upcasters } from "./upcasters";

export interface LoggedEvent<E> {
  seq: number;
  event: E;
  /** Milliseconds since the epoch when the event was committed. */
  at: number;
}

/**
 * The append-only event log in the object's SQLite storage. Appends run
 * inside the caller's `transactionSync`; reads upcast old shapes on the way out.
 */
export class EventLog<E extends { type: string }> {
  readonly #sql: SqlStorage;
  readonly #upcasters: Upcasters;

  constructor(sql: SqlStorage, upcasters: Upcasters) {
    this.#sql = sql;
    this.#upcasters = upcasters;
    sql.exec(`CREATE TABLE IF NOT EXISTS _stratus_events (
      seq INTEGER PRIMARY KEY, type TEXT NOT NULL, v INTEGER NOT NULL, data TEXT NOT NULL, at INTEGER NOT NULL)`);
    sql.exec("CREATE INDEX IF NOT EXISTS _stratus_events_at ON _stratus_events (at)");
  }

  /**
   * Writes events with consecutive seqs starting at `firstSeq`, as the JSON the
   * caller already made (`json[i]` is `events[i]` serialized). Call inside a transaction.
   */
  append(events: readonly E[], json: readonly string[], firstSeq: number, at: number): void {
    for (let i = 0; i < events.length; i++) {
      const type = events[i]!.type;
      this.#sql.exec("INSERT INTO _stratus_events (seq, type, v, data, at) VALUES (?, ?, ?, ?, ?)", firstSeq + i, type, this.#upcasters.versionOf(type), json[i]!, at);
    }
  }

  /** Writes one event row as given: for imports and for tests of old shapes. */
  appendRaw(seq: number, event: StoredShape, version: number, at: number): void {
    this.#sql.exec("INSERT INTO _stratus_events (seq, type, v, data, at) VALUES (?, ?, ?, ?, ?)", seq, event.type, version, JSON.stringify(event), at);
  }

  /** Events with `after < seq <= upTo`, in order, upcast to the current shapes. */
  *read(after: number, upTo = Number.MAX_SAFE_INTEGER): Generator<LoggedEvent<E>> {
    const cursor = this.#sql.exec<{ seq: number; v: number; data: string; at: number }>(
      "SELECT seq, v, data, at FROM _stratus_events WHERE seq > ? AND seq <= ? ORDER BY seq",
      after,
      upTo,
    );
    for (const row of cursor) {
      const stored = JSON.parse(row.data) as StoredShape;
      yield { seq: row.seq, event: this.#upcasters.upcast(stored, row.v) as unknown as E, at: row.at };
    }
  }

  lastSeq(): number {
    return this.#sql.exec<{ s: number | null }>("SELECT MAX(seq) AS s FROM _stratus_events").toArray()[0]?.s ?? 0;
  }

  /** The first seq still in the log (after compaction), or undefined when empty. */
  firstSeq(): number | undefined {
    return this.#sql.exec<{ s: number | null }>("SELECT MIN(seq) AS s FROM _stratus_events").toArray()[0]?.s ?? undefined;
  }

  /** The last seq committed at or before `time` (0 when none was). */
  seqAt(time: number): number {
    return this.#sql.exec<{ s: number | null }>("SELECT MAX(seq) AS s FROM _stratus_events WHERE at <= ?", time).toArray()[0]?.s ?? 0;
  }

  count(): number {
    return this.#sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM _stratus_events").toArray()[0]?.n ?? 0;
  }

  /** Drops events with seq <= `upTo` (only ever behind a snapshot). */
  compact(upTo: number): void {
    this.#sql.exec("DELETE FROM _stratus_events WHERE seq <= ?", upTo);
  }
}
