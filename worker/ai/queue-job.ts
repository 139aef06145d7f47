import * as v from "valibot";
import { defineJob } from "../queue/job";
import type { InferenceDispatcher } from "./queued";
import { handleInferenceJob } from "./queued";
import type { JobDispatcher } from "../queue/dispatcher";
import { AI, AI_RESULTS } from "./tokens";

const target = v.variant("kind", [
  v.object({ kind: v.literal("listener"), name: v.pipe(v.string(), v.minLength(1), v.maxLength(200)) }),
  v.object({ kind: v.literal("component"), component: v.string(), key: v.string(), event: v.optional(v.string()) }),
]);

const payload = v.object({
  id: v.string(),
  alias: v.string(),
  input: v.record(v.string(), v.unknown()),
  options: v.optional(
    v.object({
      cache: v.optional(v.union([v.boolean(), v.object({ ttl: v.number() })])),
      gateway: v.optional(v.union([v.literal(false), v.record(v.string(), v.unknown())])),
      timeoutMs: v.optional(v.number()),
    }),
  ),
  deliver: target,
  queuedAt: v.number(),
});

/**
 * `ai.queue(...)` as a job on Cloudflare Queues: the jobs system's retries,
 * backoff and failed_jobs apply. Rate limits and provider outages (5xx) are
 * rethrown so the queue retries; bad input is delivered as `ok: false`.
 */
export const aiInferenceJob = defineJob({
  name: "ai.inference",
  schema: payload,
  tries: 5,
  backoff: { base: 10, max: 600 },
  timeout: 120,
  async handle(job, ctx) {
    await handleInferenceJob(job as Parameters<typeof handleInferenceJob>[0], ctx.resolve(AI), ctx.resolve(AI_RESULTS), { signal: ctx.signal, log: ctx.log });
  },
});

/** The InferenceDispatcher `ai.queue` uses when the queue module is present. */
export function queueDispatcher(jobs: () => JobDispatcher): InferenceDispatcher {
  return {
    async dispatch(job) {
      await jobs().dispatch(aiInferenceJob, job);
    },
  };
}
