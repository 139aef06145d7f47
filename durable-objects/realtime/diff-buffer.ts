/**
 * Largest frame kept for resume, in UTF-8 bytes (SQLite's row limit is 2 MB); a bigger one
 * breaks the chain, so resumers get a full render.
 */
const MAX_BYTES = 1_500_000;

const encoder = new TextEncoder();

/** A frame's size in bytes, encoding only when the cheap bound (3 bytes per UTF-16 unit) is not enough. */
function fits(text: string): boolean {
  return text.length * 3 <= MAX_BYTES || (text.length <= MAX_BYTES && encoder.encode(text).byteLength <= MAX_BYTES);
}

/**
 * The last N broadcast frames, persisted in SQLite so resume survives
 * hibernation and eviction. Frames form a chain (each `from` is the previous
 * `seq`); a client resumes only from a seq that is a link of that chain. Each
 * frame records the render identity (rid) it leaves the client with.
 */
export class DiffBuffer {
  readonly #sql: SqlStorage;
  readonly #capacity: number;
  /** Frames kept past the capacity before one range delete trims back to it: a statement per frame was a third of the buffer's cost. */
  readonly #slack: number;
  #size: number;

  constructor(sql: SqlStorage, capacity: number) {
    this.#sql = sql;
    this.#capacity = capacity;
    this.#slack = Math.max(1, Math.ceil(capacity / 4));
    // Frames from before epochs and rids existed cannot serve a resume.
    sql.exec("DROP TABLE IF EXISTS _stratus_frames");
    sql.exec("CREATE TABLE IF NOT EXISTS _stratus_resume (seq INTEGER PRIMARY KEY, from_seq INTEGER NOT NULL, from_rid TEXT NOT NULL, rid TEXT NOT NULL, text TEXT NOT NULL)");
    this.#size = sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM _stratus_resume").toArray()[0]?.n ?? 0;
  }

  /** Keeps a frame; never throws: a frame that cannot be kept breaks the chain instead. */
  push(from: { seq: number; rid: string }, seq: number, rid: string, text: string): void {
    if (this.#capacity === 0 || !fits(text)) return this.clear();
    try {
      this.#sql.exec("INSERT OR REPLACE INTO _stratus_resume (seq, from_seq, from_rid, rid, text) VALUES (?, ?, ?, ?, ?)", seq, from.seq, from.rid, rid, text);
      if (++this.#size > this.#capacity + this.#slack) {
        // Counted from the newest row rather than by seq arithmetic: a cleared buffer restarts at any seq.
        this.#sql.exec("DELETE FROM _stratus_resume WHERE seq < (SELECT seq FROM _stratus_resume ORDER BY seq DESC LIMIT 1 OFFSET ?)", this.#capacity - 1);
        this.#size = this.#capacity;
      }
    } catch (err) {
      console.error("resume buffer write failed; resumers get a full render", err);
      this.clear();
    }
  }

  /** The seq and rid the newest frame brings a client to. */
  tail(): { seq: number; rid: string } | undefined {
    return this.#sql.exec<{ seq: number; rid: string }>("SELECT seq, rid FROM _stratus_resume ORDER BY seq DESC LIMIT 1").toArray()[0];
  }

  /**
   * Frames taking a client from `since` (showing `fromRid`, when it says) to `to` (rid `toRid`), in
   * order; undefined when the buffer does not cover the gap or the chain changes render identity
   * between two frames (a deploy between them: the older diffs name statics the client lacks).
   */
  since(since: number, fromRid: string | undefined, to: number, toRid: string): string[] | undefined {
    const rows = this.#sql
      .exec<{ seq: number; from_seq: number; from_rid: string; rid: string; text: string }>("SELECT seq, from_seq, from_rid, rid, text FROM _stratus_resume WHERE seq > ? ORDER BY seq", since)
      .toArray();
    const first = rows[0];
    const last = rows.at(-1);
    if (!first || !last || first.from_seq !== since || last.seq !== to || last.rid !== toRid) return undefined;
    if (fromRid !== undefined && first.from_rid !== fromRid) return undefined;
    for (let i = 1; i < rows.length; i++) if (rows[i]!.from_seq !== rows[i - 1]!.seq || rows[i]!.from_rid !== rows[i - 1]!.rid) return undefined;
    return rows.map((r) => r.text);
  }

  /** Empties the buffer; a failure here is logged, since a gap in the chain already refuses resumes. */
  clear(): void {
    try {
      this.#sql.exec("DELETE FROM _stratus_resume");
    } catch (err) {
      console.error("resume buffer clear failed", err);
    }
    this.#size = 0;
  }
}
