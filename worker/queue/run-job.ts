import { JobTimeoutError } from "./errors";
import type { Job, JobContext } from "./job";

/**
 * Runs `handle` under the job's timeout. On timeout the context's signal
 * aborts (so well-behaved work stops) and the run fails at once, whether or
 * not the handler noticed.
 */
export async function runWithTimeout(job: Job, payload: unknown, seconds: number, makeContext: (signal: AbortSignal) => JobContext): Promise<void> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new JobTimeoutError(job.name, seconds);
      controller.abort(err);
      reject(err);
    }, seconds * 1000);
  });
  try {
    await Promise.race([Promise.resolve().then(() => job.handle(payload, makeContext(controller.signal))), expired]);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}
