import { env } from "cloudflare:workers";
import { deliverJobs, jobEnvelope } from "stratus/testing";
import { describe, expect, it } from "vitest";
import { app } from "../../app/bootstrap";
import { {{job}} } from "../../app/jobs/{{kebab}}";

describe("{{kebab}} job", () => {
  it("is registered, runs and acks its message", async () => {
    const result = await deliverJobs(app, [{ body: jobEnvelope({{job}}.name, { id: "1" }) }], env.QUEUE_NAME);
    expect(result.explicitAcks).toEqual(result.ids);
    expect(result.retryMessages).toEqual([]);
  });

  it("records an invalid payload as a failed job instead of retrying it", async () => {
    const body = jobEnvelope({{job}}.name, { id: "" });
    const result = await deliverJobs(app, [{ body }], env.QUEUE_NAME);
    expect(result.retryMessages).toEqual([]);
    expect(await env.DB.prepare("SELECT reason FROM failed_jobs WHERE uuid = ?").bind(body.id).first()).toEqual({ reason: "invalid-payload" });
  });
});
