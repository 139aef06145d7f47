import type { AIManager, RunOptions } from "./manager";
import type { AiAlias, AiAliases } from "./types";

/** Who hears a queued inference's result. */
export type DeliveryTarget =
  /** An application event: `events.listen(name, (result) => ...)` (sync or queued listeners). */
  | { kind: "listener"; name: string }
  /** A live component instance: its `onEvent` receives `event` (default "ai.result") with the result as payload. */
  | { kind: "component"; component: string; key: string; event?: string };

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

/** Sends an InferenceJob to the jobs system (see queue-job.ts for the Queues-backed one). */
export interface InferenceDispatcher {
  dispatch(job: InferenceJob): Promise<void>;
}

/** Hands a result to its target (see delivery.ts). */
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
export async function handleInferenceJob(
  job: InferenceJob,
  ai: AIManager,
  delivery: ResultDelivery,
  run: Pick<RunOptions, "signal" | "log"> = {},
): Promise<InferenceResult> {
  let result: InferenceResult;
  try {
    const inf = await ai.invoke(job.alias as AiAlias, job.input as never, { ...(job.options ?? {}), ...run });
    result = { ok: true, jobId: job.id, alias: job.alias, output: inf.output, model: inf.model, cached: inf.cached, queuedMs: Date.now() - job.queuedAt };
  } catch (err) {
    const status = (err as { status?: unknown }).status;
    if (typeof status !== "number" || status >= 500) throw err;
    result = { ok: false, jobId: job.id, alias: job.alias, error: { status, detail: (err as Error).message } };
  }
  await delivery.deliver(job.deliver, result);
  return result;
}
