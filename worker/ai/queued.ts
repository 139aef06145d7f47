import type { AIManager, RunOptions } from "./manager";
import type { AiAlias, AiAliases } from "./types";

/** Who hears a queued inference's result. */
export type DeliveryTarget =
  /** A named listener registered with `ResultListeners.on(name, fn)` (or the events system, once it lands). */
  | { kind: "listener"; name: string; context?: Record<string, unknown> }
  /** A live component instance; `action` receives the result (delivered by the component runtime). */
  | { kind: "component"; component: string; key: string; action: string };

/** A serialisable inference request: what a queue message carries (well under 128 KB for sane inputs). */
export interface InferenceJob {
  id: string;
  alias: string;
  input: Record<string, unknown>;
  options?: Pick<RunOptions, "cache" | "gateway" | "timeoutMs">;
  deliver: DeliveryTarget;
  /** Epoch ms when it was queued, for latency accounting. */
  queuedAt: number;
}

export type InferenceResult =
  | { ok: true; jobId: string; alias: string; output: unknown; model: string; cached: boolean; queuedMs: number }
  | { ok: false; jobId: string; alias: string; error: { status: number; detail: string } };

/** Sends an InferenceJob to the jobs system. The queue area implements it (feat-queue). */
export interface InferenceDispatcher {
  dispatch(job: InferenceJob): Promise<void>;
}

/** Hands a result to its target. Listener delivery lives here; component delivery comes with the component runtime. */
export interface ResultDelivery {
  deliver(target: DeliveryTarget, result: InferenceResult): Promise<void>;
}

export type QueueOptions<A extends string> = Pick<RunOptions, "cache" | "gateway" | "timeoutMs"> & {
  /** A listener name, or a full delivery target. */
  onResult: string | DeliveryTarget;
  /** Stable id for idempotency; defaults to a random UUID. */
  id?: string;
  alias?: A;
};

/** Builds the job for `ai.queue(...)`; validation (alias, size) happens on dispatch, before anything is sent. */
export function inferenceJob<A extends AiAlias>(alias: A, input: AiAliases[A]["input"], options: QueueOptions<A>): InferenceJob {
  const deliver: DeliveryTarget = typeof options.onResult === "string" ? { kind: "listener", name: options.onResult } : options.onResult;
  const opts: InferenceJob["options"] = {};
  if (options.cache !== undefined) opts.cache = options.cache;
  if (options.gateway !== undefined) opts.gateway = options.gateway;
  if (options.timeoutMs !== undefined) opts.timeoutMs = options.timeoutMs;
  return { id: options.id ?? crypto.randomUUID(), alias, input: input as unknown as Record<string, unknown>, options: opts, deliver, queuedAt: Date.now() };
}

/**
 * The body of the queued-inference job: run, then deliver. A retryable
 * failure (rate limit, provider down: 5xx) is rethrown so the queue retries
 * with its backoff; a permanent one (4xx) is delivered as `ok: false`.
 */
export async function handleInferenceJob(job: InferenceJob, ai: AIManager, delivery: ResultDelivery): Promise<InferenceResult> {
  let result: InferenceResult;
  try {
    const inf = await ai.invoke(job.alias as AiAlias, job.input as never, job.options ?? {});
    result = { ok: true, jobId: job.id, alias: job.alias, output: inf.output, model: inf.model, cached: inf.cached, queuedMs: Date.now() - job.queuedAt };
  } catch (err) {
    const status = (err as { status?: unknown }).status;
    if (typeof status !== "number" || status >= 500) throw err;
    result = { ok: false, jobId: job.id, alias: job.alias, error: { status, detail: (err as Error).message } };
  }
  await delivery.deliver(job.deliver, result);
  return result;
}

/** Listener delivery: `listeners.on("summary.ready", (result) => ...)`. */
export class ResultListeners implements ResultDelivery {
  readonly #listeners = new Map<string, ((result: InferenceResult, context?: Record<string, unknown>) => void | Promise<void>)[]>();
  readonly #components: ResultDelivery | undefined;

  constructor(components?: ResultDelivery) {
    this.#components = components;
  }

  on(name: string, fn: (result: InferenceResult, context?: Record<string, unknown>) => void | Promise<void>): this {
    const list = this.#listeners.get(name) ?? [];
    list.push(fn);
    this.#listeners.set(name, list);
    return this;
  }

  async deliver(target: DeliveryTarget, result: InferenceResult): Promise<void> {
    if (target.kind === "component") {
      if (!this.#components) throw new Error(`No component delivery is registered: cannot deliver to ${target.component}/${target.key}.`);
      return this.#components.deliver(target, result);
    }
    const list = this.#listeners.get(target.name);
    if (!list || list.length === 0) throw new Error(`No listener named "${target.name}" for AI result ${result.jobId}.`);
    for (const fn of list) await fn(result, target.context);
  }
}
