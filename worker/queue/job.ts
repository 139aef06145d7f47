import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { Token } from "../app/token";
import type { Logger } from "../http/logger";
import type { BackoffOption } from "./backoff";

/** What a job's `handle` receives beside its payload. */
export interface JobContext {
  /** The job's id: stable across retries, new for each dispatch. */
  readonly id: string;
  /** 1 on the first run. */
  readonly attempt: number;
  /** Tries this run may use in all, after capping by the consumer's max_retries. */
  readonly maxTries: number;
  readonly queuedAt: number;
  /** Aborted when the job's timeout elapses: pass it to fetch and long loops. */
  readonly signal: AbortSignal;
  readonly env: Cloudflare.Env;
  /** Carries the job name, id, attempt and the dispatching request's id. */
  readonly log: Logger;
  resolve<T>(token: Token<T>): T;
  waitUntil(promise: Promise<unknown>): void;
}

/**
 * A unit of background work. Write it as an object with `defineJob`, or as a
 * class that `implements Job<typeof schema>`. Unset options fall back to
 * `config/queue.ts` defaults.
 */
export interface Job<S extends StandardSchemaV1 = StandardSchemaV1> {
  /** Unique across the application; it travels in every message. */
  readonly name: string;
  readonly schema: S;
  handle(payload: StandardSchemaV1.InferOutput<S>, ctx: JobContext): unknown | Promise<unknown>;
  /** Runs in all, first included. */
  readonly tries?: number;
  readonly backoff?: BackoffOption;
  /** Seconds one run may take before it counts as failed. */
  readonly timeout?: number;
  /** Default delay, in seconds, before the first run. */
  readonly delay?: number;
  /**
   * Seconds during which a job with the same unique key runs at most once; duplicate
   * deliveries (Queues deliver at least once) and duplicate dispatches are dropped.
   */
  readonly uniqueFor?: number;
  /** The idempotency key; defaults to the job id, which dedupes redeliveries of one dispatch. */
  uniqueKey?(payload: StandardSchemaV1.InferOutput<S>): string;
}

export type JobInput<J extends Job> = StandardSchemaV1.InferInput<J["schema"]>;
export type JobPayload<J extends Job> = StandardSchemaV1.InferOutput<J["schema"]>;

const NAME = /^[\w.:-]{1,128}$/;

/** Declares a job as a plain object, checking its options once at definition time. */
export function defineJob<S extends StandardSchemaV1>(job: Job<S>): Job<S> {
  if (!NAME.test(job.name)) throw new TypeError(`Job name "${job.name}" must match ${NAME}.`);
  for (const key of ["tries", "timeout", "delay", "uniqueFor"] as const) {
    const v = job[key];
    if (v !== undefined && !(Number.isFinite(v) && v >= 0)) throw new TypeError(`Job "${job.name}": ${key} must be a non-negative number.`);
  }
  if (job.tries !== undefined && (!Number.isInteger(job.tries) || job.tries < 1)) {
    throw new TypeError(`Job "${job.name}": tries must be an integer of at least 1.`);
  }
  return job;
}

export function isJob(value: unknown): value is Job {
  return (
    typeof value === "object" && value !== null &&
    typeof (value as Job).name === "string" &&
    typeof (value as Job).handle === "function" &&
    typeof (value as Job).schema === "object" && (value as Job).schema !== null &&
    "~standard" in (value as Job).schema
  );
}
