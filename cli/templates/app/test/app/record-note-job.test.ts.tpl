import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { JOBS } from "stratus/queue";
import { describe, expect, it } from "vitest";
import { app } from "../../app/bootstrap";
import { recordNoteJob } from "../../app/jobs/record-note";

/** Runs one prepared job message through the Worker's queue handler, as the Queues consumer would. */
async function deliver(payload: { text: string }) {
  await app.boot(env);
  const message = await app.resolve(JOBS).prepare({ job: recordNoteJob, payload });
  const batch = createMessageBatch(env.QUEUE_NAME, [{ id: "m1", timestamp: new Date(), attempts: 1, body: message.envelope }]);
  const ctx = createExecutionContext();
  await app.queue(batch, env, ctx);
  return getQueueResult(batch, ctx);
}

describe("record-note job", () => {
  it("stores the note and acks its message", async () => {
    const result = await deliver({ text: "from a job" });
    expect(result.explicitAcks).toEqual(["m1"]);
    const row = await env.DB.prepare("SELECT text FROM notes WHERE text = ?").bind("from a job").first();
    expect(row).toEqual({ text: "from a job" });
  });

  it("refuses an invalid payload before it is queued", async () => {
    await app.boot(env);
    await expect(app.resolve(JOBS).prepare({ job: recordNoteJob, payload: { text: "" } })).rejects.toThrow(/payload/i);
  });
});
