import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { JOBS } from "stratus/queue";
import { describe, expect, it } from "vitest";
import { app } from "../../app/bootstrap";
import { {{job}} } from "../../app/jobs/{{kebab}}";

describe("{{kebab}} job", () => {
  it("is registered, runs and acks its message", async () => {
    await app.boot(env);
    const message = await app.resolve(JOBS).prepare({ job: {{job}}, payload: { id: "1" } });
    const batch = createMessageBatch(env.QUEUE_NAME, [{ id: "m1", timestamp: new Date(), attempts: 1, body: message.envelope }]);
    const ctx = createExecutionContext();
    await app.queue(batch, env, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual(["m1"]);
    expect(result.retryMessages).toEqual([]);
  });

  it("refuses an invalid payload before it is queued", async () => {
    await app.boot(env);
    await expect(app.resolve(JOBS).prepare({ job: {{job}}, payload: { id: "" } })).rejects.toThrow(/payload/i);
  });
});
