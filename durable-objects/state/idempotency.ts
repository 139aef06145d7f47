/**
 * Action ids already applied, with the seq they were committed at: a retried
 * id (after a reconnect, or a double click) is acked again, never re-applied.
 */
export class IdempotencyTable {
  readonly #sql: SqlStorage;

  constructor(sql: SqlStorage) {
    this.#sql = sql;
    sql.exec("CREATE TABLE IF NOT EXISTS _stratus_actions (id TEXT PRIMARY KEY, seq INTEGER NOT NULL, at INTEGER NOT NULL)");
    sql.exec("CREATE INDEX IF NOT EXISTS _stratus_actions_at ON _stratus_actions (at)");
  }

  get(id: string): number | undefined {
    return this.#sql.exec<{ seq: number }>("SELECT seq FROM _stratus_actions WHERE id = ?", id).toArray()[0]?.seq;
  }

  /** Call inside the same transaction as the events the action produced. */
  record(id: string, seq: number, at: number): void {
    this.#sql.exec("INSERT INTO _stratus_actions (id, seq, at) VALUES (?, ?, ?)", id, seq, at);
  }

  /** Forgets up to `limit` ids older than `before` (ms since the epoch), oldest first; returns how many went. */
  prune(before: number, limit: number): number {
    // Bounded: one prune never holds the object for long, however far behind it is.
    return this.#sql.exec("DELETE FROM _stratus_actions WHERE id IN (SELECT id FROM _stratus_actions WHERE at < ? ORDER BY at LIMIT ?)", before, limit).rowsWritten;
  }
}
