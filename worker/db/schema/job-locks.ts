import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Idempotency records for jobs that declare `uniqueFor`. D1 rather than KV:
 * claiming a key must be an atomic compare-and-set (one upsert on a unique key
 * in a single SQLite primary), while KV is eventually consistent and two
 * deliveries in two locations could both read "absent" and both run.
 */
export const jobLocks = sqliteTable(
  "job_locks",
  {
    key: text("key").primaryKey(),
    /** running | done */
    state: text("state").notNull(),
    /** Random per claim, so only the claimant releases or completes it. */
    token: text("token").notNull(),
    /** A running claim older than this was abandoned (crash, eviction) and may be taken over. */
    leaseUntil: integer("lease_until").notNull(),
    /** End of the uniqueness window; after it the key may run again. */
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("job_locks_expires_at_idx").on(t.expiresAt)],
);

export type JobLockRow = typeof jobLocks.$inferSelect;
