import { createExecutionContext, createMessageBatch, getQueueResult, type QueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { JobEnvelope } from "../queue/envelope";

/** The Worker (or Application) whose `queue` entry point receives the batch. */
export interface QueueWorker {
  queue(batch: MessageBatch<unknown>, env: Cloudflare.Env, ctx: ExecutionContext): Promise<void> | void;
}

export interface Delivery extends QueueResult {
  ids: string[];
  /** `retry({ delaySeconds })` per retried message id: getQueueResult() does not report the delay. */
  delays: Record<string, number | undefined>;
}

let seq = 0;

/** A job message body as `JOBS.dispatch` would send it. */
export function jobEnvelope(job: string, payload: unknown, extra: Partial<JobEnvelope> = {}): JobEnvelope {
  return { v: 1, id: crypto.randomUUID(), job, payload, queuedAt: Date.now(), ...extra };
}

/**
 * Delivers bodies to the Worker's `queue` entry point as one batch, through
 * the real consumer, and answers the runtime's view of acks and retries.
 */
export async function deliverJobs(worker: QueueWorker, bodies: { body: unknown; attempts?: number; id?: string }[], queue = "stratus-jobs"): Promise<Delivery> {
  const messages = bodies.map((b) => ({ id: b.id ?? `msg-${++seq}`, timestamp: new Date(), attempts: b.attempts ?? 1, body: b.body }));
  const batch = createMessageBatch(queue, messages);
  const delays: Record<string, number | undefined> = {};
  // The real messages do the acking and retrying; the view only notes the retry options on the way.
  const observed = batch.messages.map((m) => ({
    get id() { return m.id; },
    get timestamp() { return m.timestamp; },
    get body() { return m.body; },
    get attempts() { return m.attempts; },
    ack: () => m.ack(),
    retry: (options?: QueueRetryOptions) => {
      delays[m.id] = options?.delaySeconds;
      m.retry(options);
    },
  }));
  const view: MessageBatch<unknown> = {
    queue: batch.queue,
    metadata: batch.metadata,
    messages: observed,
    ackAll: () => batch.ackAll(),
    retryAll: (o) => batch.retryAll(o),
  };
  const ctx = createExecutionContext();
  await worker.queue(view, env, ctx);
  return { ...(await getQueueResult(batch, ctx)), ids: messages.map((m) => m.id), delays };
}
