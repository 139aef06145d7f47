import { defineFrameworkConfig as defineConfig } from "../app/config";

export default defineConfig("queue", (env) => ({
  binding: "JOBS" as const,
  deadLetterBinding: "JOBS_DLQ" as const,
  /** Queue names as declared in wrangler.toml; the consumer routes batches by them. */
  queueName: env.string("QUEUE_NAME", "stratus-jobs"),
  deadLetterQueueName: env.string("QUEUE_DLQ_NAME", "stratus-jobs-dlq"),
  /**
   * The consumer's `max_retries` in wrangler.toml. A job's effective tries are capped at
   * maxRetries + 1, so the framework records the failure before the runtime dead-letters it.
   */
  maxRetries: env.int("QUEUE_MAX_RETRIES", 5, { min: 0, max: 100 }),
  /** Messages of one batch run at once; the rest wait for a free lane. */
  concurrency: env.int("QUEUE_CONCURRENCY", 10, { min: 1, max: 100 }),
  defaults: {
    tries: env.int("QUEUE_TRIES", 3, { min: 1, max: 100 }),
    /** Seconds; exponential with jitter, capped at maxBackoff. */
    backoff: env.int("QUEUE_BACKOFF", 5, { min: 0 }),
    maxBackoff: env.int("QUEUE_MAX_BACKOFF", 3600, { min: 0, max: 43_200 }),
    timeout: env.int("QUEUE_TIMEOUT", 30, { min: 1 }),
  },
  /**
   * Queues' limits. Local Queues count a kilobyte as 1000 bytes, so these are the
   * strictest reading of "128 KB per message, 256 KB and 100 messages per sendBatch".
   */
  limits: {
    messageBytes: 128_000,
    batchBytes: 256_000,
    batchMessages: 100,
    /** Longest delay Queues accepts, in seconds (12 hours). */
    maxDelaySeconds: 43_200,
  },
  admin: {
    /** Bearer token for /admin/jobs; without one the admin routes answer 403. */
    token: env.optional("QUEUE_ADMIN_TOKEN"),
  },
}));
