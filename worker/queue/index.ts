/** `stratus/queue`: jobs on Cloudflare Queues: dispatch, consumer, retries, failed jobs, uniqueness. */
export { defineJob, isJob, type Job, type JobContext, type JobInput, type JobPayload } from "./job";
export { backoffDelay, type BackoffOption, type ExponentialBackoff } from "./backoff";
export { JobDispatcher, jobCall, BatchDispatchError, type DispatchOptions, type JobCall } from "./dispatcher";
export { JobRegistry } from "./registry";
export { InvalidPayloadError, JobTimeoutError, JobTooLargeError, UnknownJobError } from "./errors";
export { FailedJobRepository, type FailedJob, type FailureReason } from "./failed-jobs";
export { UniqueLocks } from "./unique-locks";
export { queueModule } from "./module";
export { jobs, queueProvider } from "./provider";
export { FAILED_JOBS, JOB_REGISTRY, JOBS, UNIQUE_LOCKS } from "./tokens";
