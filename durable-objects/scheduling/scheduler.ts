/** A task waiting for the object's alarm. */
export interface ScheduledTask<P = unknown> {
  id: string;
  name: string;
  payload: P;
  /** When it is due, ms since the epoch. */
  at: number;
  /** Failed runs so far. */
  attempts: number;
  /** When this run was first due: unlike `at`, it stays the same across retries (it names the run). */
  run: number;
}

export interface RunReport {
  ran: number;
  retried: number;
  dropped: number;
}

const MAX_ATTEMPTS = 5;

/**
 * Many timers on the object's single alarm: tasks live in a table, the alarm
 * is always set to the earliest one. A task is deleted only after its handler
 * succeeds (at-least-once); a failing task is retried with exponential backoff
 * and dropped after MAX_ATTEMPTS runs.
 */
export class Scheduler {
  readonly #storage: DurableObjectStorage;
  readonly #sql: SqlStorage;

  constructor(storage: DurableObjectStorage) {
    this.#storage = storage;
    this.#sql = storage.sql;
    this.#sql.exec(`CREATE TABLE IF NOT EXISTS _stratus_schedule (
      id TEXT PRIMARY KEY, name TEXT NOT NULL, payload TEXT NOT NULL, at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, run INTEGER)`);
    // Tables made before `run` existed get the column; their rows name the run by `at` (COALESCE below).
    if (!this.#sql.exec<{ name: string }>("PRAGMA table_info(_stratus_schedule)").toArray().some((c) => c.name === "run")) {
      this.#sql.exec("ALTER TABLE _stratus_schedule ADD COLUMN run INTEGER");
    }
  }

  async schedule(at: number, name: string, payload: unknown = null, id: string = crypto.randomUUID()): Promise<string> {
    this.#sql.exec("INSERT OR REPLACE INTO _stratus_schedule (id, name, payload, at, attempts, run) VALUES (?, ?, ?, ?, 0, ?)", id, name, JSON.stringify(payload ?? null), at, at);
    await this.arm();
    return id;
  }

  async cancel(id: string): Promise<boolean> {
    const n = this.#sql.exec("DELETE FROM _stratus_schedule WHERE id = ?", id).rowsWritten;
    await this.arm();
    return n > 0;
  }

  get(id: string): ScheduledTask | undefined {
    return this.#rows("SELECT id, name, payload, at, attempts, COALESCE(run, at) AS run FROM _stratus_schedule WHERE id = ?", id)[0];
  }

  list(): ScheduledTask[] {
    return this.#rows("SELECT id, name, payload, at, attempts, COALESCE(run, at) AS run FROM _stratus_schedule ORDER BY at");
  }

  /** Due tasks only, earliest first. */
  #due(now: number): ScheduledTask[] {
    return this.#rows("SELECT id, name, payload, at, attempts, COALESCE(run, at) AS run FROM _stratus_schedule WHERE at <= ? ORDER BY at", now);
  }

  #rows(query: string, ...bindings: (string | number)[]): ScheduledTask[] {
    return this.#sql
      .exec<{ id: string; name: string; payload: string; at: number; attempts: number; run: number }>(query, ...bindings)
      .toArray()
      .map((r) => ({ id: r.id, name: r.name, payload: JSON.parse(r.payload) as unknown, at: r.at, attempts: r.attempts, run: r.run }));
  }

  /** Runs every due task, then re-arms the alarm for the next one. */
  async run(now: number, handle: (task: ScheduledTask) => void | Promise<void>, onError: (task: ScheduledTask, err: unknown) => void): Promise<RunReport> {
    const report: RunReport = { ran: 0, retried: 0, dropped: 0 };
    for (const { id } of this.#due(now)) {
      // Re-read each task: an earlier handler in this run may have cancelled or rescheduled it.
      const task = this.get(id);
      if (!task || task.at > now) continue;
      try {
        await handle(task);
        // A handler may have rescheduled the same id for later: only delete the run we did.
        this.#sql.exec("DELETE FROM _stratus_schedule WHERE id = ? AND at = ?", task.id, task.at);
        report.ran++;
      } catch (err) {
        onError(task, err);
        if (task.attempts + 1 >= MAX_ATTEMPTS) {
          this.#sql.exec("DELETE FROM _stratus_schedule WHERE id = ?", task.id);
          report.dropped++;
        } else {
          const retryAt = now + Math.min(60_000, 1000 * 2 ** task.attempts);
          this.#sql.exec("UPDATE _stratus_schedule SET attempts = attempts + 1, at = ? WHERE id = ?", retryAt, task.id);
          report.retried++;
        }
      }
    }
    await this.arm();
    return report;
  }

  /** Points the alarm at the earliest task, or clears it. */
  async arm(): Promise<void> {
    const next = this.#sql.exec<{ at: number | null }>("SELECT MIN(at) AS at FROM _stratus_schedule").toArray()[0]?.at ?? null;
    if (next === null) {
      await this.#storage.deleteAlarm();
      return;
    }
    const current = await this.#storage.getAlarm();
    if (current !== next) await this.#storage.setAlarm(next);
  }
}
