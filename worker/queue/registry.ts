import type { Job } from "./job";
import { UnknownJobError } from "./errors";

/**
 * Job name → job. Every isolate registers the same jobs at boot, so the
 * isolate that consumes a message knows the job the dispatching one named.
 */
export class JobRegistry {
  readonly #jobs = new Map<string, Job>();

  register(...jobs: Job[]): this {
    for (const job of jobs) {
      const existing = this.#jobs.get(job.name);
      if (existing && existing !== job) throw new Error(`Two different jobs are named "${job.name}".`);
      this.#jobs.set(job.name, job);
    }
    return this;
  }

  has(name: string): boolean {
    return this.#jobs.has(name);
  }

  get(name: string): Job | undefined {
    return this.#jobs.get(name);
  }

  /** The registered job, or an UnknownJobError naming it. */
  require(name: string): Job {
    const job = this.#jobs.get(name);
    if (!job) throw new UnknownJobError(name);
    return job;
  }

  names(): string[] {
    return [...this.#jobs.keys()].sort();
  }
}
