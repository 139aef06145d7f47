/** Largest frame kept for resume; a bigger one breaks the chain, so resumers get a full render. */
const MAX_TEXT = 1_500_000;

/**
 * The last N broadcast frames, persisted in SQLite so resume survives
 * hibernation and eviction. Frames form a chain (each `from` is the previous
 * `seq`); a client resumes only from a seq that is a link of that chain.
 */
export class DiffBuffer {
  readonly #sql: SqlStorage;
  readonly #capacity: number;
  #size: number;

  constructor(sql: SqlStorage, capacity: number) {
    this.#sql = sql;
    this.#capacity = capacity;
    sql.exec("CREATE TABLE IF NOT EXISTS _stratus_frames (seq INTEGER PRIMARY KEY, from_seq INTEGER NOT NULL, text TEXT NOT NULL)");
    this.#size = sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM _stratus_frames").toArray()[0]?.n ?? 0;
  }

  push(from: number, seq: number, text: string): void {
    if (text.length > MAX_TEXT || this.#capacity === 0) {
      this.clear();
      return;
    }
    this.#sql.exec("INSERT OR REPLACE INTO _stratus_frames (seq, from_seq, text) VALUES (?, ?, ?)", seq, from, text);
    if (++this.#size > this.#capacity) {
      this.#sql.exec("DELETE FROM _stratus_frames WHERE seq IN (SELECT seq FROM _stratus_frames ORDER BY seq LIMIT ?)", this.#size - this.#capacity);
      this.#size = this.#capacity;
    }
  }

  /** The seq the newest frame brings a client to. */
  tail(): number | undefined {
    return this.#sql.exec<{ s: number | null }>("SELECT MAX(seq) AS s FROM _stratus_frames").toArray()[0]?.s ?? undefined;
  }

  /** Frames taking a client from `since` to `to`, in order; undefined when the buffer does not cover the gap. */
  since(since: number, to: number): string[] | undefined {
    const rows = this.#sql.exec<{ seq: number; from_seq: number; text: string }>("SELECT seq, from_seq, text FROM _stratus_frames WHERE seq > ? ORDER BY seq", since).toArray();
    if (rows.length === 0 || rows[0]!.from_seq !== since || rows.at(-1)!.seq !== to) return undefined;
    for (let i = 1; i < rows.length; i++) if (rows[i]!.from_seq !== rows[i - 1]!.seq) return undefined;
    return rows.map((r) => r.text);
  }

  clear(): void {
    this.#sql.exec("DELETE FROM _stratus_frames");
    this.#size = 0;
  }
}
