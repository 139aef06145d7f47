import type { Container } from "../app/container";
import type { Token } from "../app/token";
import type { ScheduledHandler } from "../app/tokens";
import type { Logger } from "../http/logger";
import { assertCron } from "./cron";

export interface TaskContext {
  readonly cron: string;
  readonly scheduledTime: number;
  readonly env: Cloudflare.Env;
  /** Bound to the task name and cron. */
  readonly log: Logger;
  resolve<T>(token: Token<T>): T;
  waitUntil(promise: Promise<unknown>): void;
}

export type Task = (ctx: TaskContext) => unknown | Promise<unknown>;

export interface TaskRun {
  name: string;
  ok: boolean;
  ms: number;
  error?: unknown;
}

interface Entry {
  name: string;
  cron: string;
  task: Task;
}

/**
 * Tasks registered in code, run by the Worker's `scheduled` entry point when
 * their cron trigger (declared in wrangler.toml) fires. Tasks of one trigger
 * run concurrently and in isolation: one that throws is logged, the others
 * still finish.
 */
export class Scheduler implements ScheduledHandler {
  readonly #entries: Entry[] = [];
  readonly #container: Container;
  readonly #log: Logger;

  constructor(container: Container, log: Logger) {
    this.#container = container;
    this.#log = log;
  }

  /** `scheduler.cron("0 3 * * *", "reports:nightly", async (ctx) => ...)` */
  cron(expression: string, name: string, task: Task): this {
    const cron = assertCron(expression);
    if (this.#entries.some((e) => e.name === name)) throw new Error(`A scheduled task named "${name}" already exists.`);
    this.#entries.push({ name, cron, task });
    return this;
  }

  get tasks(): readonly { name: string; cron: string }[] {
    return this.#entries.map(({ name, cron }) => ({ name, cron }));
  }

  /** Crons with tasks that are missing from `declared` (the triggers in wrangler.toml): those tasks would never run. */
  undeclared(declared: readonly string[]): string[] {
    const known = new Set(declared.map((d) => d.trim().split(/\s+/).join(" ")));
    return [...new Set(this.#entries.map((e) => e.cron))].filter((c) => !known.has(c));
  }

  async handle(controller: ScheduledController, env: Cloudflare.Env, ctx: ExecutionContext): Promise<void> {
    await this.run(controller, env, ctx);
  }

  async run(controller: Pick<ScheduledController, "cron" | "scheduledTime">, env: Cloudflare.Env, ctx: ExecutionContext): Promise<TaskRun[]> {
    const cron = controller.cron.trim().split(/\s+/).join(" ");
    const due = this.#entries.filter((e) => e.cron === cron);
    if (due.length === 0) {
      this.#log.warn("cron fired with no task registered for it", { cron: controller.cron });
      return [];
    }
    const container = this.#container;
    return Promise.all(
      due.map(async ({ name, task }): Promise<TaskRun> => {
        const log = this.#log.child({ task: name, cron });
        const started = Date.now();
        try {
          await task({
            cron,
            scheduledTime: controller.scheduledTime,
            env,
            log,
            resolve: (t) => container.resolve(t),
            waitUntil: (p) => ctx.waitUntil(p),
          });
          log.info("scheduled task done", { ms: Date.now() - started });
          return { name, ok: true, ms: Date.now() - started };
        } catch (error) {
          log.error("scheduled task failed", { error });
          return { name, ok: false, ms: Date.now() - started, error };
        }
      }),
    );
  }
}
