import { token } from "../app/token";
import type { JobConsumer } from "./consumer";
import type { JobDispatcher } from "./dispatcher";
import type { FailedJobRepository } from "./failed-jobs";
import type { JobRegistry } from "./registry";
import type { UniqueLocks } from "./unique-locks";

/** Dispatches jobs: `app.resolve(JOBS).dispatch(sendWelcome, { userId })`. */
export const JOBS = token<JobDispatcher>("queue.jobs");
export const JOB_REGISTRY = token<JobRegistry>("queue.registry");
export const FAILED_JOBS = token<FailedJobRepository>("queue.failedJobs");
export const UNIQUE_LOCKS = token<UniqueLocks>("queue.uniqueLocks");
export const JOB_CONSUMER = token<JobConsumer>("queue.consumer");
