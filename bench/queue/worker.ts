// The bench Worker: the real application (worker/bootstrap) plus two bench jobs, and a
// /run endpoint that feeds the queue entry point synthetic batches inside workerd.
import type { StandardSchemaV1 } from "@standard-schema/spec";
import { app } from "../../worker/bootstrap";
import { defineJob } from "../../worker/queue/job";
import { JOB_REGISTRY } from "../../worker/queue/tokens";

// A hand-written Standard Schema keeps the figure about the framework, not a validation library.
const schema: StandardSchemaV1<{ n: number }> = {
  "~standard": {
    version: 1,
    vendor: "bench",
    validate: (v) => (typeof (v as { n?: unknown })?.n === "number" ? { value: v as { n: number } } : { issues: [{ message: "n" }] }),
  },
};
let sink = 0;
const noop = defineJob({ name: "bench.noop", schema, handle: (p) => void (sink += p.n) });
const unique = defineJob({ name: "bench.unique", schema, uniqueFor: 3600, handle: (p) => void (sink += p.n) });

type Mode = "baseline" | "noop" | "unique";

function batchOf(size: number, mode: Mode, seq: { n: number }): { batch: MessageBatch<unknown>; acked: () => number } {
  let acks = 0;
  const messages = Array.from({ length: size }, () => {
    const i = seq.n++;
    const id = `${mode}-${i}-${crypto.randomUUID()}`;
    const body = mode === "baseline" ? { n: i } : { v: 1, id, job: `bench.${mode}`, payload: { n: i }, queuedAt: Date.now() };
    return { id, timestamp: new Date(), attempts: 1, body, ack: () => void acks++, retry: () => {} };
  });
  const batch: MessageBatch<unknown> = {
    queue: "stratus-jobs",
    metadata: { metrics: { backlogCount: 0, backlogBytes: 0 } },
    messages,
    ackAll: () => void (acks = size),
    retryAll: () => {},
  } as unknown as MessageBatch<unknown>;
  return { batch, acked: () => acks };
}

/** The baseline: the least a hand-written consumer does per message (read the body, check it, ack). */
async function baseline(batch: MessageBatch<unknown>): Promise<void> {
  for (const m of batch.messages) {
    if (typeof (m.body as { n?: unknown }).n === "number") sink += (m.body as { n: number }).n;
    m.ack();
  }
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname !== "/run") return app.fetch(request, env, ctx);
    await app.boot(env);
    const registry = app.resolve(JOB_REGISTRY);
    if (!registry.has(noop.name)) registry.register(noop, unique);
    const size = Number(url.searchParams.get("size"));
    const jobs = Number(url.searchParams.get("jobs"));
    const mode = url.searchParams.get("mode") as Mode;
    const seq = { n: 0 };
    let acked = 0;
    const started = performance.now();
    for (let done = 0; done < jobs; done += size) {
      const { batch, acked: count } = batchOf(size, mode, seq);
      if (mode === "baseline") await baseline(batch);
      else await app.queue(batch, env, ctx);
      acked += count();
    }
    // performance.now() only advances across I/O in workerd; D1-free modes end with one I/O to read the clock.
    await env.CACHE.get("bench-clock");
    const ms = performance.now() - started;
    return Response.json({ mode, size, jobs: seq.n, acked, ms, sink });
  },
} satisfies ExportedHandler<Env>;
