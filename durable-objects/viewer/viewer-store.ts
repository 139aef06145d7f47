import type { ViewerRecord } from "./viewer";

/** setViewer or a model frame would make the viewer's record larger than the limit: nothing is stored. */
export class ViewerTooLargeError extends Error {
  override name = "ViewerTooLargeError";
}

interface Cached<V> {
  record: ViewerRecord<V>;
  json: string;
}

const encoder = new TextEncoder();

/**
 * Viewer records in the object's SQLite, keyed by viewer (connection or user), cached in memory.
 * One home for every size: a socket attachment would survive hibernation but not a reconnect (a
 * new socket) nor a deploy, and caps at 16 KB. Records equal to the initial one are not stored.
 * Rows of viewers not seen for `ttlMs` are swept.
 */
export class ViewerStore<V> {
  readonly #sql: SqlStorage;
  readonly #initial: () => V;
  readonly #maxBytes: number;
  readonly #cache = new Map<string, Cached<V>>();
  #defaultJson: string | undefined;

  constructor(sql: SqlStorage, initial: () => V, maxBytes: number) {
    this.#sql = sql;
    this.#initial = initial;
    this.#maxBytes = maxBytes;
    sql.exec("CREATE TABLE IF NOT EXISTS _stratus_viewers (key TEXT PRIMARY KEY, json TEXT NOT NULL, at INTEGER NOT NULL)");
  }

  initial(): ViewerRecord<V> {
    return { state: this.#initial(), fields: {}, errors: {} };
  }

  get(key: string): ViewerRecord<V> {
    return this.#load(key).record;
  }

  /** Whether the viewer's record is the initial one (its slots render as the shared render's do). */
  isDefault(key: string): boolean {
    return this.#load(key).json === this.#default();
  }

  /** Validates the size, then stores; throws ViewerTooLargeError (nothing stored) past the limit. */
  check(record: ViewerRecord<V>): string {
    const json = JSON.stringify(record);
    if (json.length > this.#maxBytes || (json.length * 3 > this.#maxBytes && encoder.encode(json).byteLength > this.#maxBytes)) {
      throw new ViewerTooLargeError(`Viewer state is limited to ${this.#maxBytes} bytes of JSON.`);
    }
    return json;
  }

  /** Whether `json` is what the viewer has already (nothing to write or re-render). */
  holds(key: string, json: string): boolean {
    return this.#load(key).json === json;
  }

  /** Stores a record `check` accepted (its JSON); call inside the commit's transaction. */
  write(key: string, json: string, now: number): void {
    if (json === this.#default()) this.#sql.exec("DELETE FROM _stratus_viewers WHERE key = ?", key);
    else this.#sql.exec("INSERT OR REPLACE INTO _stratus_viewers (key, json, at) VALUES (?, ?, ?)", key, json, now);
    this.#cache.set(key, { record: JSON.parse(json) as ViewerRecord<V>, json });
  }

  /** Keeps a connected viewer's row from the sweep. */
  touch(key: string, now: number): void {
    // Initial records have no row: no write (and no output-gate wait) for the common connect.
    if (this.isDefault(key)) return;
    this.#sql.exec("UPDATE _stratus_viewers SET at = ? WHERE key = ?", now, key);
  }

  /** Drops the cached copy (the viewer's last socket left); the row stays for a reconnect. */
  forget(key: string): void {
    this.#cache.delete(key);
  }

  /** Deletes rows not touched since `before`, except those of `live` viewers. */
  sweep(before: number, live: ReadonlySet<string>): number {
    const old = this.#sql.exec<{ key: string }>("SELECT key FROM _stratus_viewers WHERE at < ? LIMIT 500", before).toArray();
    let n = 0;
    for (const { key } of old) {
      if (live.has(key)) continue;
      this.#sql.exec("DELETE FROM _stratus_viewers WHERE key = ?", key);
      this.#cache.delete(key);
      n++;
    }
    return n;
  }

  #default(): string {
    return (this.#defaultJson ??= JSON.stringify(this.initial()));
  }

  #load(key: string): Cached<V> {
    let c = this.#cache.get(key);
    if (!c) {
      const row = this.#sql.exec<{ json: string }>("SELECT json FROM _stratus_viewers WHERE key = ?", key).toArray()[0];
      c = row ? { record: JSON.parse(row.json) as ViewerRecord<V>, json: row.json } : { record: this.initial(), json: this.#default() };
      this.#cache.set(key, c);
    }
    return c;
  }
}
