import type { Database } from "../db/database";
import { and, eq, lte, or } from "drizzle-orm";
import { jobLocks } from "../db/schema/job-locks";

export interface Claim {
  readonly key: string;
  readonly token: string;
}

/**
 * Idempotency for jobs with `uniqueFor`, on D1. Claiming is one upsert whose
 * update only applies when the key is free (window over, or an abandoned
 * run), so of two concurrent deliveries exactly one sees a changed row.
 * A failed run releases its claim so the retry can take it again.
 */
export class UniqueLocks {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** The claim, or undefined when another run holds the key or already finished within the window. */
  async claim(key: string, windowSeconds: number, leaseSeconds: number, now = Date.now()): Promise<Claim | undefined> {
    const token = crypto.randomUUID();
    const leaseUntil = now + leaseSeconds * 1000;
    const expiresAt = now + Math.max(windowSeconds, leaseSeconds) * 1000;
    const res = await this.#db
      .insert(jobLocks)
      .values({ key, state: "running", token, leaseUntil, expiresAt })
      .onConflictDoUpdate({
        target: jobLocks.key,
        set: { state: "running", token, leaseUntil, expiresAt },
        setWhere: or(lte(jobLocks.expiresAt, now), and(eq(jobLocks.state, "running"), lte(jobLocks.leaseUntil, now))),
      })
      .run();
    return res.meta.changes > 0 ? { key, token } : undefined;
  }

  /** Marks the run done; the key stays taken until the window ends. */
  async complete(claim: Claim): Promise<void> {
    await this.#db.update(jobLocks).set({ state: "done" }).where(and(eq(jobLocks.key, claim.key), eq(jobLocks.token, claim.token)));
  }

  /** Frees the key after a failed run, so its retry (or a re-dispatch) may run. */
  async release(claim: Claim): Promise<void> {
    await this.#db.delete(jobLocks).where(and(eq(jobLocks.key, claim.key), eq(jobLocks.token, claim.token)));
  }

  async state(key: string): Promise<"running" | "done" | undefined> {
    const row = await this.#db.select({ state: jobLocks.state }).from(jobLocks).where(eq(jobLocks.key, key)).get();
    return row?.state as "running" | "done" | undefined;
  }

  /** Deletes records whose window has ended; returns how many. */
  async prune(now = Date.now()): Promise<number> {
    const res = await this.#db.delete(jobLocks).where(lte(jobLocks.expiresAt, now)).run();
    return res.meta.changes;
  }
}

