import { defineConfig } from "../worker/app/config";

export default defineConfig("queue", (env) => ({
  binding: "JOBS" as const,
  deadLetterBinding: "JOBS_DLQ" as const,
  defaults: {
    tries: env.int("QUEUE_TRIES", 3, { min: 1, max: 100 }),
    /** Seconds; exponential with jitter, capped at maxBackoff. */
    backoff: env.int("QUEUE_BACKOFF", 5, { min: 0 }),
    maxBackoff: env.int("QUEUE_MAX_BACKOFF", 3600, { min: 0 }),
    timeout: env.int("QUEUE_TIMEOUT", 30, { min: 1 }),
  },
}));
