import { randomToken } from "./sealed";
import type { SessionRecord } from "./record";

const TOKEN_KEY = "_token";
const OLD_INPUT_KEY = "_old_input";

/**
 * One request's session (`c.session`). Reads and writes are synchronous on an
 * in-memory record; the session() middleware loads it before the handler and
 * saves it after. Flash data set now is readable on the next request only.
 */
export class Session {
  #record: SessionRecord;
  #dirty = false;
  /** The id the session was loaded under, when regenerate() replaced it (a server-side store deletes it). */
  #replacedId: string | undefined;
  #invalidated = false;

  constructor(record: SessionRecord, readonly isNew: boolean) {
    this.#record = record;
  }

  /** A new, empty session. Its id is made on first use: most requests without a cookie never need one. */
  static fresh(now: number): Session {
    return new Session({ id: "", data: {}, flash: { new: [], old: [] }, createdAt: now, lastSeenAt: now }, true);
  }

  get id(): string {
    if (this.#record.id === "") this.#record.id = randomToken();
    return this.#record.id;
  }

  get createdAt(): number {
    return this.#record.createdAt;
  }

  get<T = unknown>(key: string): T | undefined;
  get<T>(key: string, fallback: T): T;
  get(key: string, fallback?: unknown): unknown {
    return Object.hasOwn(this.#record.data, key) ? this.#record.data[key] : fallback;
  }

  has(key: string): boolean {
    return Object.hasOwn(this.#record.data, key);
  }

  all(): Readonly<Record<string, unknown>> {
    return this.#record.data;
  }

  /** Values must survive JSON (they are stored as JSON). */
  put(key: string, value: unknown): void {
    this.#record.data[key] = value;
    this.#unflash(key);
    this.#dirty = true;
  }

  /** Reads a value and removes it. */
  pull<T = unknown>(key: string): T | undefined {
    const value = this.get<T>(key);
    this.forget(key);
    return value;
  }

  forget(key: string): void {
    if (!Object.hasOwn(this.#record.data, key)) return;
    delete this.#record.data[key];
    this.#unflash(key);
    this.#dirty = true;
  }

  /** A value for the next request only (a message after a redirect). */
  flash(key: string, value: unknown): void {
    this.#record.data[key] = value;
    const f = this.#record.flash;
    f.old = f.old.filter((k) => k !== key);
    if (!f.new.includes(key)) f.new.push(key);
    this.#dirty = true;
  }

  /** Keeps this request's flash data for one more request. */
  reflash(): void {
    const f = this.#record.flash;
    f.new = [...new Set([...f.new, ...f.old])];
    f.old = [];
    this.#dirty = true;
  }

  /** The submitted form's fields for the next request, so a failed form re-renders with them. */
  flashInput(input: Record<string, unknown>): void {
    this.flash(OLD_INPUT_KEY, input);
  }

  /** A field of the input flashed by the previous request. */
  old(field: string, fallback: unknown = ""): unknown {
    const input = this.get<Record<string, unknown>>(OLD_INPUT_KEY);
    return input && Object.hasOwn(input, field) ? input[field] : fallback;
  }

  /** The CSRF token bound to this session, made on first use. */
  token(): string {
    let token = this.get<string>(TOKEN_KEY);
    if (typeof token !== "string") {
      token = randomToken();
      this.put(TOKEN_KEY, token);
    }
    return token;
  }

  regenerateToken(): string {
    this.forget(TOKEN_KEY);
    return this.token();
  }

  /** A new id for the same data (sign-in, privilege change): a fixated id stops working. */
  regenerate(): void {
    // A fresh session's id was never sent, so there is nothing to replace.
    if (!this.isNew) this.#replacedId ??= this.#record.id;
    this.#record.id = randomToken();
    this.#dirty = true;
  }

  /** Drops all data and the id (sign-out); the next save writes an empty session under a new id. */
  invalidate(): void {
    this.#record.data = {};
    this.#record.flash = { new: [], old: [] };
    this.#record.createdAt = Date.now();
    this.#invalidated = true;
    this.regenerate();
  }

  get invalidated(): boolean {
    return this.#invalidated;
  }

  get dirty(): boolean {
    return this.#dirty;
  }

  get replacedId(): string | undefined {
    return this.#replacedId;
  }

  /**
   * Whether the end of this request must store the session: it changed, flash
   * data ages out, or it was last stored `touchMs` ago or more (the sliding
   * expiry moves on). Reads in between store nothing, so a D1 session is not
   * a write per request.
   */
  needsSave(now: number, touchMs: number): boolean {
    return this.isNew || this.#dirty || this.#record.flash.old.length > 0 || this.#record.flash.new.length > 0 || now - this.#record.lastSeenAt >= touchMs;
  }

  get isEmpty(): boolean {
    return Object.keys(this.#record.data).length === 0;
  }

  /** The record to store at the end of the request: last request's flash dropped, this request's aged. */
  toRecord(now: number): SessionRecord {
    const r = this.#record;
    if (r.id === "") r.id = randomToken();
    for (const key of r.flash.old) delete r.data[key];
    return { ...r, data: { ...r.data }, flash: { new: [], old: [...r.flash.new] }, lastSeenAt: now };
  }

  #unflash(key: string): void {
    const f = this.#record.flash;
    f.new = f.new.filter((k) => k !== key);
    f.old = f.old.filter((k) => k !== key);
  }
}
