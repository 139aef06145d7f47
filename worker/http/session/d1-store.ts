import { and, eq, gt, lte } from "drizzle-orm";
import { drizzle, type DrizzleD1Database } from "drizzle-orm/d1";
import { sessions } from "../../db/schema/sessions";
import { digest as hashId } from "./sealed";
import { isSessionRecord, type SessionRecord } from "./record";
import type { SessionStore } from "./store";
import { AUTH_USER_KEY } from "./auth-key";

/**
 * Revocable sessions in D1: the cookie carries only the id, the row holds the
 * data, and deleting the row ends the session everywhere at once. D1, not KV:
 * a revocation must be seen by the next request, and KV is eventually
 * consistent. Rows are keyed by SHA-256 of the id, so a leaked table does not
 * hand out live session cookies.
 */
export class D1SessionStore implements SessionStore {
  readonly #db: DrizzleD1Database;

  constructor(d1: D1Database) {
    this.#db = drizzle(d1);
  }

  async read(contents: unknown): Promise<SessionRecord | undefined> {
    if (typeof contents !== "object" || contents === null || typeof (contents as { sid?: unknown }).sid !== "string") return undefined;
    const id = (contents as { sid: string }).sid;
    const rows = await this.#db
      .select({ payload: sessions.payload })
      .from(sessions)
      .where(and(eq(sessions.id, await hashId(id)), gt(sessions.expiresAt, Date.now())))
      .limit(1);
    const row = rows[0];
    if (!row) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(row.payload);
    } catch {
      return undefined;
    }
    return isSessionRecord(parsed) && parsed.id === id ? parsed : undefined;
  }

  async write(record: SessionRecord, expiresAt: number, replacedId: string | undefined): Promise<unknown> {
    const id = await hashId(record.id);
    const signedIn = record.data[AUTH_USER_KEY];
    const userId = typeof signedIn === "string" ? signedIn : null;
    const values = { id, payload: JSON.stringify(record), userId, createdAt: record.createdAt, lastSeenAt: record.lastSeenAt, expiresAt };
    const upsert = this.#db.insert(sessions).values(values).onConflictDoUpdate({
      target: sessions.id,
      set: { payload: values.payload, userId, lastSeenAt: values.lastSeenAt, expiresAt },
    });
    if (replacedId !== undefined) await this.#db.batch([this.#db.delete(sessions).where(eq(sessions.id, await hashId(replacedId))), upsert]);
    else await upsert;
    return { sid: record.id };
  }

  async destroy(id: string): Promise<void> {
    await this.#db.delete(sessions).where(eq(sessions.id, await hashId(id)));
  }

  /**
   * Deletes sessions past their expiry (idle or absolute): `read` already refuses them, so this only
   * keeps the table small. The framework's housekeeping cron runs it as `session:prune`.
   */
  async prune(now = Date.now()): Promise<number> {
    const r = await this.#db.delete(sessions).where(lte(sessions.expiresAt, now));
    return r.meta.changes;
  }

  /** Ends every session of a user (password change, "sign out everywhere"). */
  async destroyForUser(userId: string): Promise<void> {
    await this.#db.delete(sessions).where(eq(sessions.userId, userId));
  }
}
