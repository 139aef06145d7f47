import { isSessionRecord, type SessionRecord } from "./record";
import type { SessionStore } from "./store";

/** The default: the whole record in the (sealed) cookie. Nothing to revoke server-side; sign-out clears the cookie. */
export class CookieSessionStore implements SessionStore {
  async read(contents: unknown): Promise<SessionRecord | undefined> {
    return isSessionRecord(contents) ? contents : undefined;
  }

  async write(record: SessionRecord): Promise<unknown> {
    return record;
  }

  async destroy(): Promise<void> {}
}
