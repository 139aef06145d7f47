import type { AppConfig } from "../config";
import type { ChainLink, JobEnvelope } from "./envelope";
import { jsonBytes } from "./envelope";
import { InvalidPayloadError, JobTooLargeError } from "./errors";
import type { Job, JobInput } from "./job";
import type { JobRegistry } from "./registry";
import { validate } from "./schema";

type QueueConfig = AppConfig["queue"];

export interface DispatchOptions {
  /** Seconds before the job may run; overrides the job's own `delay`. */
  delay?: number;
  /** The dispatching request's id, carried into the job's logs. */
  requestId?: string;
}

/** A job with its payload, ready for `dispatchBatch` or `chain`. Build it with `jobCall`. */
export interface JobCall<J extends Job = Job> {
  readonly job: J;
  readonly payload: JobInput<J>;
  readonly options?: DispatchOptions;
}

export function jobCall<J extends Job>(job: J, payload: JobInput<J>, options?: DispatchOptions): JobCall<J> {
  return options ? { job, payload, options } : { job, payload };
}

/** A validated, sized message, not sent yet. */
export interface PreparedMessage {
  readonly envelope: JobEnvelope;
  readonly delaySeconds: number;
  readonly bytes: number;
}

/** Some batches went out before one failed: says which jobs are queued and which are not. */
export class BatchDispatchError extends Error {
  constructor(readonly queued: readonly string[], readonly notQueued: readonly string[], cause: unknown) {
    super(`Queued ${queued.length} job(s), then sending failed; ${notQueued.length} job(s) were not queued.`, { cause });
    this.name = "BatchDispatchError";
  }
}

/**
 * Puts jobs on the queue. Everything is checked before anything is sent: the
 * job is registered, the payload passes its schema, every message fits
 * Queues' limits. A payload that would not fit is an error here, never a
 * message lost later.
 */
export class JobDispatcher {
  readonly #queue: Queue;
  readonly #registry: JobRegistry;
  readonly #config: QueueConfig;

  constructor(queue: Queue, registry: JobRegistry, config: QueueConfig) {
    this.#queue = queue;
    this.#registry = registry;
    this.#config = config;
  }

  async dispatch<J extends Job>(job: J, payload: JobInput<J>, options: DispatchOptions = {}): Promise<{ id: string }> {
    const message = await this.prepare({ job, payload, options });
    await this.sendPrepared([message]);
    return { id: message.envelope.id };
  }

  /** Many jobs in as few `sendBatch` calls as Queues' limits allow (100 messages, 256 KB each). */
  async dispatchBatch(calls: readonly JobCall[]): Promise<{ ids: string[]; batches: number }> {
    const messages = await Promise.all(calls.map((c) => this.prepare(c)));
    const batches = await this.sendPrepared(messages);
    return { ids: messages.map((m) => m.envelope.id), batches };
  }

  /** Runs the jobs one after another: each is queued when the previous one succeeds. */
  async chain(calls: readonly JobCall[], options: Pick<DispatchOptions, "requestId"> = {}): Promise<{ id: string; ids: string[] }> {
    const [first, ...rest] = calls;
    if (!first) throw new TypeError("A chain needs at least one job.");
    const links: ChainLink[] = [];
    for (const call of rest) {
      const link = await this.prepare(call);
      links.push({ id: link.envelope.id, job: link.envelope.job, payload: link.envelope.payload, ...(link.delaySeconds ? { delay: link.delaySeconds } : {}) });
    }
    const head = await this.prepare({ ...first, options: { ...options, ...first.options } }, links);
    await this.sendPrepared([head]);
    return { id: head.envelope.id, ids: [head.envelope.id, ...links.map((l) => l.id)] };
  }

  /** Queues the next link of a finished job's chain, carrying the rest of it. */
  async dispatchNext(finished: JobEnvelope): Promise<string | undefined> {
    const [next, ...rest] = finished.chain ?? [];
    if (!next) return undefined;
    const envelope: JobEnvelope = {
      v: 1,
      // The link's id was fixed at dispatch: a redelivered parent re-queues the same id, which
      // the consumer's idempotency (uniqueFor) recognises.
      id: next.id,
      job: next.job,
      payload: next.payload,
      queuedAt: Date.now(),
      ...(finished.requestId ? { requestId: finished.requestId } : {}),
      ...(rest.length > 0 ? { chain: rest } : {}),
    };
    await this.sendPrepared([this.#sized(envelope, next.delay ?? 0)]);
    return envelope.id;
  }

  /** Validates and sizes one call without sending it. */
  async prepare(call: JobCall, chain?: ChainLink[]): Promise<PreparedMessage> {
    const job = this.#registry.require(call.job.name);
    const result = await validate(job.schema, call.payload);
    if (!result.ok) throw new InvalidPayloadError(job.name, result.issues);
    const delay = call.options?.delay ?? job.delay ?? 0;
    const envelope: JobEnvelope = {
      v: 1,
      id: crypto.randomUUID(),
      job: job.name,
      // The input goes on the wire; the consumer validates it again and hands the job the output.
      payload: call.payload,
      queuedAt: Date.now(),
      ...(call.options?.requestId ? { requestId: call.options.requestId } : {}),
      ...(chain && chain.length > 0 ? { chain } : {}),
    };
    return this.#sized(envelope, delay);
  }

  /** Sends prepared messages in batches under Queues' limits; returns how many batches it took. */
  async sendPrepared(messages: readonly PreparedMessage[]): Promise<number> {
    const batches = this.#split(messages);
    const queued: string[] = [];
    for (const [i, batch] of batches.entries()) {
      try {
        if (batch.length === 1) {
          const m = batch[0]!;
          await this.#queue.send(m.envelope, { contentType: "json", delaySeconds: m.delaySeconds });
        } else {
          await this.#queue.sendBatch(batch.map((m) => ({ body: m.envelope, contentType: "json" as const, delaySeconds: m.delaySeconds })));
        }
      } catch (err) {
        if (i === 0) throw err;
        const notQueued = batches.slice(i).flat().map((m) => m.envelope.id);
        throw new BatchDispatchError(queued, notQueued, err);
      }
      queued.push(...batch.map((m) => m.envelope.id));
    }
    return batches.length;
  }

  #sized(envelope: JobEnvelope, delay: number): PreparedMessage {
    const { limits } = this.#config;
    if (!Number.isInteger(delay) || delay < 0 || delay > limits.maxDelaySeconds) {
      throw new RangeError(`Job "${envelope.job}": delay must be a whole number of seconds from 0 to ${limits.maxDelaySeconds}, got ${delay}.`);
    }
    let bytes: number;
    try {
      bytes = jsonBytes(envelope);
    } catch (err) {
      throw new TypeError(`Job "${envelope.job}": the payload must be JSON-serializable.`, { cause: err });
    }
    if (bytes > limits.messageBytes) throw new JobTooLargeError(envelope.job, bytes, limits.messageBytes);
    return { envelope, delaySeconds: delay, bytes };
  }

  #split(messages: readonly PreparedMessage[]): PreparedMessage[][] {
    const { batchBytes, batchMessages } = this.#config.limits;
    const batches: PreparedMessage[][] = [];
    let current: PreparedMessage[] = [];
    let size = 0;
    for (const m of messages) {
      if (current.length > 0 && (current.length >= batchMessages || size + m.bytes > batchBytes)) {
        batches.push(current);
        current = [];
        size = 0;
      }
      current.push(m);
      size += m.bytes;
    }
    if (current.length > 0) batches.push(current);
    return batches;
  }
}
