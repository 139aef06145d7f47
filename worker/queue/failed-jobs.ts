import type { Database } from "../db/database";
import { desc, eq, lt, sql } from "drizzle-orm";
import { failedJobs, type FailedJobRow } from "../db/schema/failed-jobs";

export type FailureReason = "exhausted" | "invalid-payload" | "unknown-job" | "malformed" | "dead-lettered";

export interface FailureRecord {
  uuid: string;
  job: string;
  queue: string;
  payload: unknown;
  envelope: unknown;
  reason: FailureReason;
  error: unknown;
  attempts: number;
}

/** What the admin routes show of a failed job. */
export interface FailedJob {
  id: string;
  job: string;
  queue: string;
  payload: unknown;
  reason: string;
  error: string;
  attempts: number;
  failedAt: string;
  deadLetteredAt: string | null;
}

/** Errors are kept whole enough to debug, short enough to list. */
const MAX_ERROR_CHARS = 8_000;

/** The `failed_jobs` table. Recording is idempotent on the job id: a redelivered failure is one row. */
export class FailedJobRepository {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  async record(r: FailureRecord): Promise<void> {
    await this.#db
      .insert(failedJobs)
      .values({
        uuid: r.uuid,
        job: r.job,
        queue: r.queue,
        payload: safeJson(r.payload),
        envelope: safeJson(r.envelope),
        reason: r.reason,
        error: describeError(r.error),
        attempts: r.attempts,
        failedAt: Date.now(),
      })
      .onConflictDoNothing({ target: failedJobs.uuid });
  }

  /** Notes that the dead-letter queue holds the message; records it first if nobody did (the runtime dead-lettered it). */
  async markDeadLettered(r: FailureRecord): Promise<void> {
    const now = Date.now();
    await this.#db.batch([
      this.#db
        .insert(failedJobs)
        .values({
          uuid: r.uuid, job: r.job, queue: r.queue, payload: safeJson(r.payload), envelope: safeJson(r.envelope),
          reason: r.reason, error: describeError(r.error), attempts: r.attempts, failedAt: now,
        })
        .onConflictDoNothing({ target: failedJobs.uuid }),
      this.#db.update(failedJobs).set({ deadLetteredAt: sql`coalesce(${failedJobs.deadLetteredAt}, ${now})` }).where(eq(failedJobs.uuid, r.uuid)),
    ]);
  }

  /** Newest first; `before` is the cursor (an internal row id) from the previous page. */
  async list(limit: number, before?: number): Promise<{ items: FailedJob[]; next: number | null }> {
    const rows = await this.#db
      .select()
      .from(failedJobs)
      .where(before === undefined ? undefined : lt(failedJobs.id, before))
      .orderBy(desc(failedJobs.id))
      .limit(limit + 1);
    const page = rows.slice(0, limit);
    return { items: page.map(present), next: rows.length > limit ? page[page.length - 1]!.id : null };
  }

  async find(uuid: string): Promise<(FailedJob & { envelope: unknown }) | undefined> {
    const row = await this.#db.select().from(failedJobs).where(eq(failedJobs.uuid, uuid)).get();
    return row ? { ...present(row), envelope: parseJson(row.envelope) } : undefined;
  }

  /** True when a row was removed. */
  async forget(uuid: string): Promise<boolean> {
    const res = await this.#db.delete(failedJobs).where(eq(failedJobs.uuid, uuid)).returning({ id: failedJobs.id });
    return res.length > 0;
  }

  async count(): Promise<number> {
    const row = await this.#db.select({ n: sql<number>`count(*)` }).from(failedJobs).get();
    return row?.n ?? 0;
  }
}

function present(row: FailedJobRow): FailedJob {
  return {
    id: row.uuid,
    job: row.job,
    queue: row.queue,
    payload: parseJson(row.payload),
    reason: row.reason,
    error: row.error,
    attempts: row.attempts,
    failedAt: new Date(row.failedAt).toISOString(),
    deadLetteredAt: row.deadLetteredAt === null ? null : new Date(row.deadLetteredAt).toISOString(),
  };
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? "null";
  } catch {
    return JSON.stringify(String(v));
  }
}

function parseJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

export function describeError(err: unknown): string {
  const text = err instanceof Error ? (err.stack && err.stack.includes(err.message) ? err.stack : `${err.name}: ${err.message}\n${err.stack ?? ""}`) : String(err);
  return text.length > MAX_ERROR_CHARS ? `${text.slice(0, MAX_ERROR_CHARS)}…` : text;
}
