import { env } from "cloudflare:workers";
import { z } from "zod";
import { app } from "../fixtures/app";
import { defineJob, type Job } from "../../worker/queue/job";
import { JOB_REGISTRY } from "../../worker/queue/tokens";

/** What test jobs did, per job name, in this isolate (tests and the Worker share it). */
export const effects = new Map<string, unknown[]>();

export function recorded(name: string): unknown[] {
  return effects.get(name) ?? [];
}

function record(name: string, value: unknown): void {
  effects.set(name, [...recorded(name), value]);
}

/** Test jobs under a prefix, so files never share job names. */
export function testJobs(prefix: string) {
  const echo = defineJob({
    name: `${prefix}.echo`,
    schema: z.object({ text: z.string().max(200_000) }),
    tries: 3,
    backoff: { base: 2, jitter: "none" },
    handle(payload, ctx) {
      record(`${prefix}.echo`, { ...payload, attempt: ctx.attempt, id: ctx.id });
    },
  });

  /** Fails until `succeedOn` (0 = never), with deterministic backoff 2, 4, 8... seconds. */
  const flaky = defineJob({
    name: `${prefix}.flaky`,
    schema: z.object({ key: z.string(), succeedOn: z.number().int().min(0) }),
    tries: 3,
    backoff: { base: 2, max: 60, jitter: "none" },
    handle(payload, ctx) {
      record(`${prefix}.flaky`, { key: payload.key, attempt: ctx.attempt });
      if (payload.succeedOn === 0 || ctx.attempt < payload.succeedOn) throw new Error(`boom on try ${ctx.attempt}`);
    },
  });

  /** Fails at once until the last try, with no backoff: for the real broker, which redelivers in about a second. */
  const fast = defineJob({
    name: `${prefix}.fast`,
    schema: z.object({ key: z.string(), succeedOn: z.number().int().min(0) }),
    tries: 2,
    backoff: [0],
    handle(payload, ctx) {
      record(`${prefix}.fast`, { key: payload.key, attempt: ctx.attempt });
      if (payload.succeedOn === 0 || ctx.attempt < payload.succeedOn) throw new Error(`fast boom on try ${ctx.attempt}`);
    },
  });

  const unique = defineJob({
    name: `${prefix}.unique`,
    schema: z.object({ order: z.string() }),
    uniqueFor: 60,
    tries: 2,
    backoff: [0],
    async handle(payload) {
      record(`${prefix}.unique`, payload.order);
      // Long enough for a concurrent duplicate to arrive while this one runs.
      await new Promise((r) => setTimeout(r, 20));
    },
  });

  const uniqueByOrder = defineJob({
    name: `${prefix}.uniqueByOrder`,
    schema: z.object({ order: z.string(), note: z.string() }),
    uniqueFor: 60,
    uniqueKey: (p) => p.order,
    handle(payload) {
      record(`${prefix}.uniqueByOrder`, payload.note);
    },
  });

  const slow = defineJob({
    name: `${prefix}.slow`,
    schema: z.object({}),
    tries: 1,
    timeout: 1,
    async handle(_p, ctx) {
      // Well-behaved work listens to the signal; the run has already failed by then either way.
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, 5_000);
        ctx.signal.addEventListener("abort", () => { clearTimeout(timer); resolve(undefined); });
      });
      record(`${prefix}.slow`, ctx.signal.aborted);
    },
  });

  const step = defineJob({
    name: `${prefix}.step`,
    schema: z.object({ n: z.number().int(), fail: z.boolean().default(false) }),
    tries: 1,
    handle(payload) {
      record(`${prefix}.step`, payload.n);
      if (payload.fail) throw new Error(`step ${payload.n} failed`);
    },
  });

  return { echo, flaky, fast, unique, uniqueByOrder, slow, step };
}

/** Boots the real application and registers the jobs in it, as a provider would at boot. */
export async function registerJobs(jobs: Record<string, Job>) {
  await app.boot(env);
  app.resolve(JOB_REGISTRY).register(...Object.values(jobs));
  return app;
}

/** Polls until `check` returns a value other than undefined/false, or fails after `ms`. */
export async function eventually<T>(check: () => T | undefined | false | Promise<T | undefined | false>, ms = 8_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > until) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
