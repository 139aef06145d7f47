import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Server-side sessions (SESSION_DRIVER=d1): revocable by deleting the row.
 * `id` is SHA-256 of the session id the cookie carries, never the id itself.
 */
export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    /** The session record as JSON (data, flash bookkeeping, times). */
    payload: text("payload").notNull(),
    /** Set from the session's `auth.user` (SESSION_USER_KEY), so all of a user's sessions can be ended at once. */
    userId: text("user_id"),
    createdAt: integer("created_at").notNull(),
    lastSeenAt: integer("last_seen_at").notNull(),
    /** The earlier of the idle and the absolute expiry, as of the last request. */
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("sessions_user_id_idx").on(t.userId), index("sessions_expires_at_idx").on(t.expiresAt)],
);

export type SessionRow = typeof sessions.$inferSelect;
