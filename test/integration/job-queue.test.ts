import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { Application } from "../../worker/app/application";
import { CONFIG } from "../../worker/app/tokens";
import { JobDispatcher, jobCall } from "../../worker/queue/dispatcher";
import { InvalidPayloadError, JobTooLargeError, UnknownJobError } from "../../worker/queue/errors";
import { defineJob } from "../../worker/queue/job";
import { JOB_REGISTRY, JOBS } from "../../worker/queue/tokens";
import { envelope } from "../support/batch";
import { eventually, recorded, registerJobs, testJobs } from "../support/jobs";

// Everything here goes through the real local Queues broker and the Worker's `queue` entry point.
const jobs = testJobs("broker");
const seen: { attempt: number; at: number }[] = [];
const delayed = defineJob({
  name: "broker.delayed",
  schema: z.object({}),
  tries: 2,
  backoff: { base: 2, jitter: "none" },
  handle(_p, ctx) {
    seen.push({ attempt: ctx.attempt, at: Date.now() });
    if (ctx.attempt === 1) throw new Error("first try fails");
  },
});
let app: Application;

beforeAll(async () => {
  app = await registerJobs({ ...jobs, delayed });
});

const failedRow = (uuid: string) =>
  env.DB.prepare("SELECT reason, attempts, error, dead_lettered_at FROM failed_jobs WHERE uuid = ?").bind(uuid)
    .first<{ reason: string; attempts: number; error: string; dead_lettered_at: number | null }>();

describe("jobs through real local Queues", () => {
  it("dispatches a job that the consumer runs", async () => {
    const { id } = await app.resolve(JOBS).dispatch(jobs.echo, { text: "via broker" });
    const run = await eventually(() => recorded(jobs.echo.name).find((r) => (r as { id: string }).id === id));
    expect(run).toEqual({ text: "via broker", attempt: 1, id });
  });

  it("runs a raw envelope sent with env.JOBS.send", async () => {
    const e = envelope(jobs.echo.name, { text: "raw send" });
    await env.JOBS.send(e, { contentType: "json" });
    await eventually(() => recorded(jobs.echo.name).some((r) => (r as { id: string }).id === e.id));
  });

  it("retries through the broker after the declared backoff and then succeeds", async () => {
    await app.resolve(JOBS).dispatch(delayed, {});
    await eventually(() => seen.length >= 2, 10_000);
    expect(seen.map((s) => s.attempt)).toEqual([1, 2]);
    // Backoff 2 s after the first try: the broker holds the retry at least that long.
    expect(seen[1]!.at - seen[0]!.at).toBeGreaterThanOrEqual(1_900);
  });

  it("exhausts tries into failed_jobs and the dead-letter queue", async () => {
    const { id } = await app.resolve(JOBS).dispatch(jobs.fast, { key: "exhaust", succeedOn: 0 });
    const row = await eventually(async () => {
      const r = await failedRow(id);
      return r?.dead_lettered_at ? r : undefined;
    }, 10_000);
    expect(row).toMatchObject({ reason: "exhausted", attempts: 2 });
    expect(row.error).toContain("fast boom on try 2");
    expect(recorded(jobs.fast.name).filter((r) => (r as { key: string }).key === "exhaust")).toHaveLength(2);
  });

  it("rejects a payload failing its schema on its first delivery", async () => {
    const e = envelope(jobs.flaky.name, { key: 1 });
    await env.JOBS.send(e, { contentType: "json" });
    const row = await eventually(() => failedRow(e.id).then((r) => r ?? undefined));
    expect(row).toMatchObject({ reason: "invalid-payload", attempts: 1 });
    expect(recorded(jobs.flaky.name)).toHaveLength(0);
  });

  it("rejects a message naming an unknown job on its first delivery", async () => {
    const e = envelope("broker.missing", {});
    await env.JOBS.send(e, { contentType: "json" });
    expect(await eventually(() => failedRow(e.id).then((r) => r ?? undefined))).toMatchObject({ reason: "unknown-job", attempts: 1 });
  });

  it("runs a uniqueFor job once when the same message is delivered twice", async () => {
    const e = envelope(jobs.unique.name, { order: "dup-1" });
    await env.JOBS.sendBatch([{ body: e, contentType: "json" }, { body: e, contentType: "json" }]);
    await env.JOBS.send(e, { contentType: "json" });
    await eventually(() => recorded(jobs.unique.name).includes("dup-1"));
    // Give the duplicates time to arrive and be dropped.
    await new Promise((r) => setTimeout(r, 2_500));
    expect(recorded(jobs.unique.name).filter((o) => o === "dup-1")).toHaveLength(1);
  });

  it("runs a chain in order, each job after the previous succeeded", async () => {
    const d = app.resolve(JOBS);
    const { ids } = await d.chain([jobCall(jobs.step, { n: 1 }), jobCall(jobs.step, { n: 2 }), jobCall(jobs.step, { n: 3 })]);
    expect(ids).toHaveLength(3);
    await eventually(() => recorded(jobs.step.name).includes(3), 10_000);
    expect(recorded(jobs.step.name).filter((n) => [1, 2, 3].includes(n as number))).toEqual([1, 2, 3]);
  });

  it("stops a chain at a job that fails for good and keeps the rest in failed_jobs", async () => {
    const d = app.resolve(JOBS);
    const { ids } = await d.chain([jobCall(jobs.step, { n: 10 }), jobCall(jobs.step, { n: 11, fail: true }), jobCall(jobs.step, { n: 12 })]);
    const row = await eventually(() => env.DB.prepare("SELECT envelope FROM failed_jobs WHERE uuid = ?").bind(ids[1]).first<{ envelope: string }>().then((r) => r ?? undefined));
    expect(JSON.parse(row.envelope).chain).toEqual([{ id: ids[2], job: jobs.step.name, payload: { n: 12 } }]);
    expect(recorded(jobs.step.name)).toContain(11);
    expect(recorded(jobs.step.name)).not.toContain(12);
  });
});

describe("dispatch checks before sending", () => {
  it("refuses a payload over the 128 KB message limit at dispatch", async () => {
    const text = "x".repeat(130_000);
    const err = await app.resolve(JOBS).dispatch(jobs.echo, { text }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JobTooLargeError);
    expect((err as JobTooLargeError).limit).toBe(128_000);
    expect((err as Error).message).toMatch(/bytes once serialized, over the 128000-byte Queues message limit/);
  });

  it("refuses an invalid payload and an unregistered job at dispatch", async () => {
    const d = app.resolve(JOBS);
    await expect(d.dispatch(jobs.echo, { text: 5 } as unknown as { text: string })).rejects.toBeInstanceOf(InvalidPayloadError);
    const stray = defineJob({ name: "broker.stray", schema: z.object({}), handle() {} });
    await expect(d.dispatch(stray, {})).rejects.toBeInstanceOf(UnknownJobError);
    await expect(d.dispatch(jobs.echo, { text: "x" }, { delay: 50_000 })).rejects.toThrow(/delay must be a whole number of seconds from 0 to 43200/);
    await expect(d.chain([])).rejects.toThrow(/at least one job/);
  });

  it("splits dispatchBatch under 100 messages and 256 KB per sendBatch, and every job arrives", async () => {
    const sent: { count: number; bytes: number }[] = [];
    // The real producer does the sending; this view notes each call's size on the way.
    const producer: Queue = {
      send: (body, options) => {
        sent.push({ count: 1, bytes: JSON.stringify(body).length });
        return env.JOBS.send(body, options);
      },
      sendBatch: (messages, options) => {
        const list = [...messages];
        sent.push({ count: list.length, bytes: list.reduce((n, m) => n + JSON.stringify(m.body).length, 0) });
        return env.JOBS.sendBatch(list, options);
      },
      metrics: () => env.JOBS.metrics(),
    };
    const d = new JobDispatcher(producer, app.resolve(JOB_REGISTRY), app.resolve(CONFIG).queue);
    const small = Array.from({ length: 250 }, (_, i) => jobCall(jobs.echo, { text: `batch-${i}` }));
    const big = Array.from({ length: 5 }, (_, i) => jobCall(jobs.echo, { text: `${i}`.padEnd(100_000, "y") }));
    const a = await d.dispatchBatch(small);
    const b = await d.dispatchBatch(big);
    expect(a.batches).toBe(3);
    expect(b.batches).toBe(3);
    expect(sent.map((s) => s.count)).toEqual([100, 100, 50, 2, 2, 1]);
    for (const s of sent) expect(s.bytes).toBeLessThanOrEqual(256_000);
    const ids = new Set([...a.ids, ...b.ids]);
    await eventually(() => recorded(jobs.echo.name).filter((r) => ids.has((r as { id: string }).id)).length === 255, 15_000);
  });

  it("refuses a whole dispatchBatch when one payload is too large, sending nothing", async () => {
    const calls = [jobCall(jobs.echo, { text: "fine" }), jobCall(jobs.echo, { text: "z".repeat(150_000) })];
    await expect(app.resolve(JOBS).dispatchBatch(calls)).rejects.toBeInstanceOf(JobTooLargeError);
  });
});
