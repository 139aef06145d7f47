import type { AppConfig } from "../config";
import type { Container } from "../app/container";
import type { Token } from "../app/token";
import type { Logger } from "../http/logger";
import { backoffDelay } from "./backoff";
import type { JobDispatcher } from "./dispatcher";
import { jsonBytes, parseEnvelope, type DeadLetter, type JobEnvelope } from "./envelope";
import type { FailedJobRepository, FailureReason, FailureRecord } from "./failed-jobs";
import type { Job } from "./job";
import type { JobRegistry } from "./registry";
import { runWithTimeout } from "./run-job";
import { validate } from "./schema";
import type { Claim, UniqueLocks } from "./unique-locks";

type QueueConfig = AppConfig["queue"];

export interface ConsumerDeps {
  registry: JobRegistry;
  dispatcher: JobDispatcher;
  failed: FailedJobRepository;
  locks: UniqueLocks;
  deadLetters: Queue;
  config: QueueConfig;
  container: Container;
  log: Logger;
}

/** What happened to one message; also the consumer's log vocabulary. */
export type Outcome = "done" | "duplicate" | "retried" | "failed" | "rejected";

/** Leases outlive the timeout by this much, so a slow but live run is not taken over. */
const LEASE_MARGIN_SECONDS = 30;
/** When recording a failure itself fails, try the message again soon rather than lose it. */
const RECORD_RETRY_SECONDS = 10;

/**
 * Runs job messages one by one, each acked or retried on its own: one failing
 * message never retries its batch. A message that cannot succeed (unknown job,
 * payload failing its schema, malformed body) is recorded at once; a job out
 * of tries is recorded and forwarded to the dead-letter queue.
 */
export class JobConsumer {
  readonly #d: ConsumerDeps;

  constructor(deps: ConsumerDeps) {
    this.#d = deps;
  }

  async handle(batch: MessageBatch<unknown>, env: Cloudflare.Env, ctx: ExecutionContext): Promise<Outcome[]> {
    const concurrency = Math.max(1, this.#d.config.concurrency);
    const outcomes: Outcome[] = new Array<Outcome>(batch.messages.length);
    let next = 0;
    const lane = async () => {
      while (next < batch.messages.length) {
        const i = next++;
        outcomes[i] = await this.#one(batch.messages[i]!, batch.queue, env, ctx);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, batch.messages.length) }, lane));
    return outcomes;
  }

  async #one(message: Message<unknown>, queue: string, env: Cloudflare.Env, ctx: ExecutionContext): Promise<Outcome> {
    const parsed = parseEnvelope(message.body);
    if (!parsed.ok) {
      return this.#reject(message, queue, { uuid: message.id, job: "(unknown)", payload: message.body, envelope: message.body, reason: "malformed", error: parsed.reason });
    }
    const envelope = parsed.envelope;
    const base = { uuid: envelope.id, job: envelope.job, queue, payload: envelope.payload, envelope, attempts: message.attempts };
    const job = this.#d.registry.get(envelope.job);
    if (!job) {
      return this.#reject(message, queue, { ...base, reason: "unknown-job", error: `No job named "${envelope.job}" is registered in this Worker.` });
    }
    const valid = await validate(job.schema, envelope.payload);
    if (!valid.ok) {
      const error = `Payload failed the schema of "${job.name}": ${valid.issues.map((i) => `${i.path || "/"} ${i.message}`).join("; ")}`;
      return this.#reject(message, queue, { ...base, reason: "invalid-payload", error });
    }
    const maxTries = this.#maxTries(job);
    const log = this.#d.log.child({ job: job.name, jobId: envelope.id, attempt: message.attempts, ...(envelope.requestId ? { requestId: envelope.requestId } : {}) });
    if (message.attempts > maxTries) {
      // An earlier delivery failed its last try but could not record it; finish that now.
      return this.#exhaust(message, { ...base, reason: "exhausted", error: `Out of tries (${maxTries}) before the failure could be recorded.` }, log);
    }

    let claim: Claim | undefined;
    const timeout = job.timeout ?? this.#d.config.defaults.timeout;
    try {
      if (job.uniqueFor !== undefined) {
        const key = `${job.name}:${job.uniqueKey ? job.uniqueKey(valid.value) : envelope.id}`;
        claim = await this.#d.locks.claim(key, job.uniqueFor, timeout + LEASE_MARGIN_SECONDS);
        if (!claim) {
          log.info("duplicate job skipped", { key });
          message.ack();
          return "duplicate";
        }
      }
      await runWithTimeout(job, valid.value, timeout, (signal) => this.#context(envelope, message, maxTries, signal, env, ctx, log));
      // Queue the next link before completing: if that send fails the job is retried, not the chain dropped.
      await this.#d.dispatcher.dispatchNext(envelope);
      if (claim) await this.#d.locks.complete(claim);
      message.ack();
      log.debug("job done");
      return "done";
    } catch (err) {
      if (claim) await this.#d.locks.release(claim).catch((e: unknown) => log.error("could not release unique lock", { error: e }));
      if (message.attempts >= maxTries) return this.#exhaust(message, { ...base, reason: "exhausted", error: err }, log);
      const delaySeconds = backoffDelay(job.backoff ?? { base: this.#d.config.defaults.backoff }, message.attempts, this.#d.config.defaults.maxBackoff);
      log.warn("job failed, will retry", { error: err, delaySeconds, maxTries });
      message.retry({ delaySeconds });
      return "retried";
    }
  }

  #maxTries(job: Job): number {
    // Beyond max_retries the runtime dead-letters the message itself, before this code could record it.
    return Math.min(job.tries ?? this.#d.config.defaults.tries, this.#d.config.maxRetries + 1);
  }

  #context(envelope: JobEnvelope, message: Message<unknown>, maxTries: number, signal: AbortSignal, env: Cloudflare.Env, ctx: ExecutionContext, log: Logger) {
    const container = this.#d.container;
    return {
      id: envelope.id,
      attempt: message.attempts,
      maxTries,
      queuedAt: envelope.queuedAt,
      signal,
      env,
      log,
      resolve: <T>(token: Token<T>) => container.resolve(token),
      waitUntil: (p: Promise<unknown>) => ctx.waitUntil(p),
    };
  }

  /** A message that can never succeed: record it and dead-letter it without spending tries. */
  async #reject(message: Message<unknown>, queue: string, r: Omit<FailureRecord, "queue" | "attempts"> & { queue?: string }): Promise<Outcome> {
    const log = this.#d.log.child({ job: r.job, jobId: r.uuid });
    const outcome = await this.#exhaust(message, { ...r, queue, attempts: message.attempts }, log);
    return outcome === "failed" ? "rejected" : outcome;
  }

  async #exhaust(message: Message<unknown>, record: FailureRecord, log: Logger): Promise<Outcome> {
    try {
      await this.#d.failed.record(record);
    } catch (err) {
      log.error("could not record failed job; the message will be redelivered", { error: err, reason: record.reason });
      message.retry({ delaySeconds: RECORD_RETRY_SECONDS });
      return "retried";
    }
    log.error("job failed for good", { reason: record.reason, error: record.error, attempts: record.attempts });
    let letter: DeadLetter = { deadLetter: 1, uuid: record.uuid, reason: record.reason as FailureReason, body: message.body };
    // A body near the message limit would not fit with the wrapper; the row keeps the payload anyway.
    if (jsonBytes(letter) > this.#d.config.limits.messageBytes) letter = { ...letter, body: null };
    try {
      await this.#d.deadLetters.send(letter, { contentType: "json" });
    } catch (err) {
      // failed_jobs already holds the job; the dead-letter copy is for operators' tooling.
      log.error("could not forward the failed job to the dead-letter queue", { error: err });
    }
    message.ack();
    return "failed";
  }
}
