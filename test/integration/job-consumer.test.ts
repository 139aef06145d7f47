import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { FAILED_JOBS, UNIQUE_LOCKS } from "../../worker/queue/tokens";
import { deliver, envelope } from "../support/batch";
import { effects, eventually, recorded, registerJobs, testJobs } from "../support/jobs";
import type { Application } from "../../worker/app/application";

const jobs = testJobs("consumer");
let app: Application;

beforeAll(async () => {
  app = await registerJobs(jobs);
});

async function failedRow(uuid: string) {
  return env.DB.prepare("SELECT * FROM failed_jobs WHERE uuid = ?").bind(uuid).first<{
    job: string; queue: string; payload: string; envelope: string; reason: string; error: string; attempts: number; failed_at: number; dead_lettered_at: number | null;
  }>();
}

describe("job consumer (createMessageBatch)", () => {
  it("runs a job and acks its message", async () => {
    const e = envelope(jobs.echo.name, { text: "hello" });
    const result = await deliver([{ body: e }]);
    expect(result.explicitAcks).toEqual(result.ids);
    expect(result.retryMessages).toEqual([]);
    expect(result.retryBatch.retry).toBe(false);
    expect(recorded(jobs.echo.name)).toContainEqual({ text: "hello", attempt: 1, id: e.id });
  });

  it("retries a failing job with its declared backoff, per attempt", async () => {
    const first = await deliver([{ body: envelope(jobs.flaky.name, { key: "a", succeedOn: 0 }), attempts: 1 }]);
    const second = await deliver([{ body: envelope(jobs.flaky.name, { key: "b", succeedOn: 0 }), attempts: 2 }]);
    expect(first.retryMessages).toEqual([{ msgId: first.ids[0] }]);
    expect(second.retryMessages).toEqual([{ msgId: second.ids[0] }]);
    expect(first.delays).toEqual({ [first.ids[0]!]: 2 });
    expect(second.delays).toEqual({ [second.ids[0]!]: 4 });
    expect(first.explicitAcks).toEqual([]);
  });

  it("acks and retries each message on its own: one failure never retries the batch", async () => {
    const ok1 = envelope(jobs.echo.name, { text: "one" });
    const bad = envelope(jobs.flaky.name, { key: "mixed", succeedOn: 0 });
    const ok2 = envelope(jobs.echo.name, { text: "two" });
    const result = await deliver([{ body: ok1 }, { body: bad }, { body: ok2 }]);
    expect(result.retryBatch.retry).toBe(false);
    expect(result.ackAll).toBe(false);
    expect(result.explicitAcks.sort()).toEqual([result.ids[0], result.ids[2]].sort());
    expect(result.retryMessages).toEqual([{ msgId: result.ids[1] }]);
    expect(result.delays).toEqual({ [result.ids[1]!]: 2 });
  });

  it("succeeds on a later try", async () => {
    const result = await deliver([{ body: envelope(jobs.flaky.name, { key: "later", succeedOn: 2 }), attempts: 2 }]);
    expect(result.explicitAcks).toEqual(result.ids);
    expect(recorded(jobs.flaky.name)).toContainEqual({ key: "later", attempt: 2 });
  });

  it("after the last try records the job in failed_jobs and sends it to the dead-letter queue", async () => {
    const e = envelope(jobs.flaky.name, { key: "dead", succeedOn: 0 }, { requestId: "req-dead" });
    const result = await deliver([{ body: e, attempts: 3 }]);
    expect(result.explicitAcks).toEqual(result.ids);
    expect(result.retryMessages).toEqual([]);
    const row = await failedRow(e.id);
    expect(row).toMatchObject({ job: jobs.flaky.name, queue: "stratus-jobs", reason: "exhausted", attempts: 3 });
    expect(JSON.parse(row!.payload)).toEqual({ key: "dead", succeedOn: 0 });
    expect(JSON.parse(row!.envelope)).toMatchObject({ id: e.id, requestId: "req-dead" });
    expect(row!.error).toContain("boom on try 3");
    expect(row!.failed_at).toBeGreaterThan(Date.now() - 60_000);
    // The real local dead-letter queue delivers it to the Worker's DLQ consumer, which stamps the row.
    const stamped = await eventually(async () => (await failedRow(e.id))?.dead_lettered_at ?? undefined);
    expect(stamped).toBeGreaterThanOrEqual(row!.failed_at);
  });

  it("sends a payload that fails its schema to failed_jobs at once, without retries", async () => {
    const e = envelope(jobs.echo.name, { text: 42 });
    const result = await deliver([{ body: e, attempts: 1 }]);
    expect(result.explicitAcks).toEqual(result.ids);
    expect(result.retryMessages).toEqual([]);
    const row = await failedRow(e.id);
    expect(row).toMatchObject({ reason: "invalid-payload", attempts: 1, job: jobs.echo.name });
    expect(row!.error).toMatch(/\/text/);
    expect(recorded(jobs.echo.name)).not.toContainEqual(expect.objectContaining({ id: e.id }));
  });

  it("sends a message naming an unknown job to failed_jobs at once", async () => {
    const e = envelope("consumer.nope", { a: 1 });
    const result = await deliver([{ body: e }]);
    expect(result.explicitAcks).toEqual(result.ids);
    expect(await failedRow(e.id)).toMatchObject({ reason: "unknown-job", job: "consumer.nope" });
    expect((await failedRow(e.id))!.error).toContain('No job named "consumer.nope"');
  });

  it("records a body that is not a job envelope under the message id", async () => {
    const result = await deliver([{ body: "just a string", id: "raw-1" }, { body: { v: 2, id: "x", job: "y", queuedAt: 1 }, id: "raw-2" }]);
    expect(result.explicitAcks.sort()).toEqual(["raw-1", "raw-2"]);
    expect(await failedRow("raw-1")).toMatchObject({ reason: "malformed", job: "(unknown)" });
    expect((await failedRow("raw-2"))!.error).toContain("Unsupported job envelope version 2");
  });

  it("fails a run that outlives its timeout and aborts its signal", async () => {
    const e = envelope(jobs.slow.name, {});
    const started = Date.now();
    const result = await deliver([{ body: e }]);
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(result.explicitAcks).toEqual(result.ids);
    const row = await failedRow(e.id);
    expect(row).toMatchObject({ reason: "exhausted", attempts: 1 });
    expect(row!.error).toContain("did not finish within its 1 s timeout");
    expect(await eventually(() => recorded(jobs.slow.name)[0] as boolean | undefined)).toBe(true);
  });

  it("records a failure that the previous delivery could not record (attempts beyond tries)", async () => {
    const e = envelope(jobs.echo.name, { text: "late" });
    const result = await deliver([{ body: e, attempts: 4 }]);
    expect(result.explicitAcks).toEqual(result.ids);
    expect(await failedRow(e.id)).toMatchObject({ reason: "exhausted", attempts: 4 });
    expect(recorded(jobs.echo.name)).not.toContainEqual(expect.objectContaining({ id: e.id }));
  });

  it("runs a uniqueFor job once across duplicate deliveries, concurrent or later", async () => {
    const e = envelope(jobs.unique.name, { order: "o-1" });
    // Two deliveries of the same message in one batch run concurrently.
    const both = await deliver([{ body: e }, { body: e }]);
    const again = await deliver([{ body: e }]);
    expect(both.explicitAcks).toHaveLength(2);
    expect(again.explicitAcks).toEqual(again.ids);
    expect(recorded(jobs.unique.name).filter((o) => o === "o-1")).toHaveLength(1);
    expect(await app.resolve(UNIQUE_LOCKS).state(`${jobs.unique.name}:${e.id}`)).toBe("done");
  });

  it("dedupes distinct dispatches that share a uniqueKey within the window", async () => {
    await deliver([{ body: envelope(jobs.uniqueByOrder.name, { order: "o-9", note: "first" }) }]);
    await deliver([{ body: envelope(jobs.uniqueByOrder.name, { order: "o-9", note: "second" }) }]);
    await deliver([{ body: envelope(jobs.uniqueByOrder.name, { order: "o-10", note: "other" }) }]);
    expect(recorded(jobs.uniqueByOrder.name)).toEqual(["first", "other"]);
  });

  it("releases a uniqueFor claim when the run fails, so the retry runs", async () => {
    const lock = app.resolve(UNIQUE_LOCKS);
    const claim = await lock.claim("consumer.manual:1", 60, 30);
    expect(claim).toBeDefined();
    expect(await lock.claim("consumer.manual:1", 60, 30)).toBeUndefined();
    await lock.release(claim!);
    expect(await lock.claim("consumer.manual:1", 60, 30)).toBeDefined();
    // An abandoned run (lease over) can be taken over; a finished one cannot until its window ends.
    const stale = await lock.claim("consumer.manual:2", 60, 1, Date.now() - 5_000);
    expect(stale).toBeDefined();
    const takeover = await lock.claim("consumer.manual:2", 60, 30);
    expect(takeover).toBeDefined();
    await lock.complete(takeover!);
    expect(await lock.claim("consumer.manual:2", 60, 30, Date.now() + 30_000)).toBeUndefined();
    expect(await lock.claim("consumer.manual:2", 60, 30, Date.now() + 61_000)).toBeDefined();
  });

  it("keeps the failed_jobs record idempotent on the job id", async () => {
    const e = envelope("consumer.ghost", {});
    await deliver([{ body: e }]);
    await deliver([{ body: e }]);
    const { n } = (await env.DB.prepare("SELECT count(*) AS n FROM failed_jobs WHERE uuid = ?").bind(e.id).first<{ n: number }>())!;
    expect(n).toBe(1);
    expect(await app.resolve(FAILED_JOBS).count()).toBeGreaterThan(0);
  });
});

describe("effects map", () => {
  it("is shared with the Worker", () => {
    expect(effects.size).toBeGreaterThan(0);
  });
});
