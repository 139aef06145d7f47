/**
 * What a cluster object (a relay, a hub) keeps to wake up: a few JSON values
 * in one SQLite table, and its delivered head, written once per turn however
 * many frames the turn delivered (the output gate holds the turn's sends until
 * that write is durable).
 */
export class ObjectState {
  readonly #sql: SqlStorage;
  readonly #table: string;
  #pendingHead: unknown;

  constructor(sql: SqlStorage, table: string) {
    this.#sql = sql;
    this.#table = table;
    sql.exec(`CREATE TABLE IF NOT EXISTS ${table} (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
  }

  read<T>(key: string): T | undefined {
    const row = this.#sql.exec<{ value: string }>(`SELECT value FROM ${this.#table} WHERE key = ?`, key).toArray()[0];
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  write(key: string, value: unknown): void {
    this.#sql.exec(`INSERT OR REPLACE INTO ${this.#table} (key, value) VALUES (?, ?)`, key, JSON.stringify(value));
  }

  /** The head moved: kept under "head" at the end of this turn (the last value of the turn wins). */
  headMoved(head: unknown): void {
    const first = this.#pendingHead === undefined;
    this.#pendingHead = head;
    if (!first) return;
    queueMicrotask(() => {
      const h = this.#pendingHead;
      this.#pendingHead = undefined;
      if (h !== undefined) this.write("head", h);
    });
  }
}
