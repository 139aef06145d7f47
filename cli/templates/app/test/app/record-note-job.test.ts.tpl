import { env } from "cloudflare:workers";
import { deliverJobs, jobEnvelope } from "stratus/testing";
import { describe, expect, it } from "vitest";
import { app } from "../../app/bootstrap";
import { recordNoteJob } from "../../app/jobs/record-note";

describe("record-note job", () => {
  it("stores the note and acks its message", async () => {
    const result = await deliverJobs(app, [{ body: jobEnvelope(recordNoteJob.name, { text: "from a job" }) }], env.QUEUE_NAME);
    expect(result.explicitAcks).toEqual(result.ids);
    expect(await env.DB.prepare("SELECT text FROM notes WHERE text = ?").bind("from a job").first()).toEqual({ text: "from a job" });
  });

  it("records an invalid payload as a failed job instead of retrying it", async () => {
    const body = jobEnvelope(recordNoteJob.name, { text: "" });
    const result = await deliverJobs(app, [{ body }], env.QUEUE_NAME);
    expect(result.retryMessages).toEqual([]);
    expect(await env.DB.prepare("SELECT reason FROM failed_jobs WHERE uuid = ?").bind(body.id).first()).toEqual({ reason: "invalid-payload" });
  });
});
