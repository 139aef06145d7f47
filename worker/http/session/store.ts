import type { SessionRecord } from "./record";

/**
 * Where session records live. The cookie carries either the whole record
 * (the cookie store) or only its id (server-side stores); either way the
 * cookie value is sealed, so the store sees only values this app wrote.
 */
export interface SessionStore {
  /** The record a sealed cookie's contents name, or undefined (unknown, revoked). */
  read(contents: unknown): Promise<SessionRecord | undefined>;
  /** Stores the record and returns what the cookie should carry. `replacedId` is an id it replaces (regenerate). */
  write(record: SessionRecord, expiresAt: number, replacedId: string | undefined): Promise<unknown>;
  /** Forgets a session for good (sign-out, revocation). */
  destroy(id: string): Promise<void>;
}
