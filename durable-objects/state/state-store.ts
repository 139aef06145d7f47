/**
 * Snapshots of a component's state. A snapshot whose JSON is larger than one
 * row may hold (2 MB) is split across part rows, so big states are never lost.
 */
export interface Snapshot<S> {
  seq: number;
  state: S;
  at: number;
}

/** Code units per part: a UTF-16 code unit is at most 3 UTF-8 bytes, so 600k units stay under 2 MB. */
export const PART_CHARS = 600_000;

/**
 * Cuts `json` into parts of at most `size` code units, never between the two
 * halves of a surrogate pair: a lone half cannot be stored as UTF-8 and would
 * come back as U+FFFD, corrupting the text on recovery.
 */
export function splitParts(json: string, size = PART_CHARS): string[] {
  const parts: string[] = [];
  let start = 0;
  while (start < json.length || parts.length === 0) {
    let end = Math.min(start + size, json.length);
    const last = json.charCodeAt(end - 1);
    if (end < json.length && end - 1 > start && last >= 0xd800 && last <= 0xdbff) end--;
    parts.push(json.slice(start, end));
    start = end;
  }
  return parts;
}

export class StateStore<S> {
  readonly #storage: DurableObjectStorage;
  readonly #sql: SqlStorage;

  constructor(storage: DurableObjectStorage) {
    this.#storage = storage;
    this.#sql = storage.sql;
    this.#sql.exec("CREATE TABLE IF NOT EXISTS _stratus_snapshots (seq INTEGER PRIMARY KEY, parts INTEGER NOT NULL, at INTEGER NOT NULL)");
    this.#sql.exec(`CREATE TABLE IF NOT EXISTS _stratus_snapshot_parts (
      seq INTEGER NOT NULL, part INTEGER NOT NULL, data TEXT NOT NULL, PRIMARY KEY (seq, part))`);
  }

  save(seq: number, state: S, at: number): void {
    const json = JSON.stringify(state);
    if (typeof json !== "string") throw new TypeError(`State at seq ${seq} does not serialize to JSON.`);
    const parts = splitParts(json);
    this.#storage.transactionSync(() => {
      this.#delete(seq);
      this.#sql.exec("INSERT INTO _stratus_snapshots (seq, parts, at) VALUES (?, ?, ?)", seq, parts.length, at);
      parts.forEach((data, p) => this.#sql.exec("INSERT INTO _stratus_snapshot_parts (seq, part, data) VALUES (?, ?, ?)", seq, p, data));
    });
  }

  /** The latest snapshot at or before `seq`. */
  latest(seq = Number.MAX_SAFE_INTEGER): Snapshot<S> | undefined {
    const head = this.#sql
      .exec<{ seq: number; parts: number; at: number }>("SELECT seq, parts, at FROM _stratus_snapshots WHERE seq <= ? ORDER BY seq DESC LIMIT 1", seq)
      .toArray()[0];
    if (!head) return undefined;
    const rows = this.#sql.exec<{ data: string }>("SELECT data FROM _stratus_snapshot_parts WHERE seq = ? ORDER BY part", head.seq).toArray();
    if (rows.length !== head.parts) throw new Error(`Snapshot at seq ${head.seq} has ${rows.length} of its ${head.parts} parts.`);
    const json = rows.length === 1 ? rows[0]!.data : rows.map((r) => r.data).join("");
    return { seq: head.seq, state: JSON.parse(json) as S, at: head.at };
  }

  /** Seqs of every snapshot, oldest first. */
  seqs(): number[] {
    return this.#sql.exec<{ seq: number }>("SELECT seq FROM _stratus_snapshots ORDER BY seq").toArray().map((r) => r.seq);
  }

  /** Keeps the newest `keep` snapshots; returns the oldest kept seq (0 when none). */
  prune(keep: number): number {
    const seqs = this.seqs();
    const drop = seqs.slice(0, Math.max(0, seqs.length - keep));
    this.#storage.transactionSync(() => {
      for (const s of drop) this.#delete(s);
    });
    return seqs[drop.length] ?? 0;
  }

  #delete(seq: number): void {
    this.#sql.exec("DELETE FROM _stratus_snapshots WHERE seq = ?", seq);
    this.#sql.exec("DELETE FROM _stratus_snapshot_parts WHERE seq = ?", seq);
  }
}
