import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Jobs that will not run again on their own: tries exhausted, a payload that
 * fails its schema, an unknown job name, or a message the runtime dead-lettered.
 * `uuid` is the job's id, so recording the same failure twice is a no-op.
 */
export const failedJobs = sqliteTable(
  "failed_jobs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    uuid: text("uuid").notNull().unique(),
    job: text("job").notNull(),
    queue: text("queue").notNull(),
    /** The job's payload as JSON. */
    payload: text("payload").notNull(),
    /** The whole message envelope as JSON (chain, request id...), so a retry resumes where it stopped. */
    envelope: text("envelope").notNull(),
    /** exhausted | invalid-payload | unknown-job | malformed | dead-lettered */
    reason: text("reason").notNull(),
    error: text("error").notNull(),
    attempts: integer("attempts").notNull(),
    failedAt: integer("failed_at").notNull(),
    /** Set when the message was seen on the dead-letter queue. */
    deadLetteredAt: integer("dead_lettered_at"),
  },
  (t) => [index("failed_jobs_failed_at_idx").on(t.failedAt)],
);

export type FailedJobRow = typeof failedJobs.$inferSelect;
export type NewFailedJobRow = typeof failedJobs.$inferInsert;
