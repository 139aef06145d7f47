// Queued inference: ai.queue -> a job on the real local Queues broker -> the consumer
// runs the model -> the result reaches an event listener or a live component.
import { env } from "cloudflare:workers";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AI, AI_RESULTS } from "../../worker/ai/tokens";
import { AiResultDelivery } from "../../worker/ai/delivery";
import { handleInferenceJob, inferenceJob, type InferenceJob, type InferenceResult } from "../../worker/ai/queued";
import type { Application } from "../../worker/app/application";
import { app as reference } from "../../app/bootstrap";
import { EventDispatcher } from "../../worker/events/dispatcher";
import { EVENTS } from "../../worker/events/tokens";
import { JOB_REGISTRY } from "../../worker/queue/tokens";
import { Logger } from "../../worker/http/logger";
import { eventually } from "../support/jobs";
import { Client, connectViaWorker, hello } from "../support/live";
import { manager, standin } from "../support/ai";

let app: Application;
const heard: InferenceResult[] = [];

beforeAll(async () => {
  await reference.boot(env);
  app = reference;
  (app.resolve(EVENTS) as unknown as EventDispatcher<Record<string, unknown>>).listen("test.summary.ready", (r) => void heard.push(r as InferenceResult));
});

beforeEach(async () => {
  await standin.__reset();
});

describe("ai.queue through the jobs system", () => {
  it("registers the ai.inference job at boot", () => {
    expect(app.resolve(JOB_REGISTRY).has("ai.inference")).toBe(true);
  });

  it("runs the inference on the queue and delivers the result to an event listener", async () => {
    const text = `queued summary ${crypto.randomUUID()}`;
    const { id } = await app.resolve(AI).queue("summarize", { input_text: text }, { onResult: "test.summary.ready" });
    const result = await eventually(() => heard.find((r) => r.jobId === id));
    expect(result).toMatchObject({ ok: true, alias: "summarize", output: { summary: text }, model: "@cf/facebook/bart-large-cnn", cached: false });
    expect((await standin.__calls()).map((c) => c.model)).toEqual(["@cf/facebook/bart-large-cnn"]);
  });

  it("delivers a queued chat answer to a live component, and the connected socket sees it", async () => {
    const key = `queued-${crypto.randomUUID().slice(0, 8)}`;
    const res = await connectViaWorker("assistant", key);
    const c = new Client(res.webSocket!);
    await hello(c);
    const { id } = await app.resolve(AI).queue("chat", { prompt: "answer later" }, { onResult: { kind: "component", component: "assistant", key } });
    await c.until((x) => x.of("diff").length > 0, 8000);
    const stub = env.ASSISTANT.getByName(key);
    const frame = await stub.currentRender();
    expect(JSON.stringify(frame.dynamics)).toContain("Echo: answer later");
    const stats = await stub.stats();
    expect(stats.seq).toBe(1);
    c.close();
    // The broadcast id is the job id: a redelivered result is not applied twice.
    const again = await stub.receiveBroadcast({ id: `ai:${id}`, name: "ai.result", payload: {}, at: Date.now() });
    expect(again).toMatchObject({ ok: true, duplicate: true });
  });

  it("rejects bad input before anything is queued", async () => {
    await expect(app.resolve(AI).queue("summarize", { input_text: "x".repeat(20_001) }, { onResult: "test.summary.ready" })).rejects.toMatchObject({ status: 413 });
    await expect(app.resolve(AI).queue("nope" as "chat", { prompt: "x" }, { onResult: "test.summary.ready" })).rejects.toMatchObject({ status: 400 });
  });

  it("without a dispatcher, says the jobs system is needed", async () => {
    await expect(manager().queue("summarize", { input_text: "short" }, { onResult: "l" })).rejects.toMatchObject({ status: 503, message: expect.stringContaining("jobs system") });
  });
});

describe("the job body (handleInferenceJob)", () => {
  const events = () => new EventDispatcher<Record<string, unknown>>({ log: new Logger("error") });

  it("delivers a permanent failure as ok:false, and rethrows a retryable one for the queue", async () => {
    const dispatcher = events();
    const got: InferenceResult[] = [];
    dispatcher.listen("l", (r) => void got.push(r as InferenceResult));
    const delivery = new AiResultDelivery({ events: () => dispatcher });
    await handleInferenceJob(inferenceJob("summarize", { input_text: "x".repeat(20_001) }, { onResult: "l" }), manager(), delivery);
    expect(got[0]).toMatchObject({ ok: false, error: { status: 413 } });
    const failing = inferenceJob("summarize", { input_text: "x" }, { onResult: "l" });
    await expect(handleInferenceJob(failing, manager({ vars: { AI_SUMMARIZE_MODELS: "@standin/fail", AI_RETRY_ATTEMPTS: "1" } }), delivery)).rejects.toMatchObject({ status: 502 });
    expect(got).toHaveLength(1);
  });

  it("fails the job when nobody listens, or when a listener throws", async () => {
    const dispatcher = events();
    const delivery = new AiResultDelivery({ events: () => dispatcher });
    const job: InferenceJob = inferenceJob("classify", { text: "great" }, { onResult: "nobody" });
    await expect(handleInferenceJob(job, manager(), delivery)).rejects.toThrow(/No listener for "nobody"/);
    dispatcher.listen("throws", () => {
      throw new Error("listener broke");
    });
    await expect(handleInferenceJob({ ...job, deliver: { kind: "listener", name: "throws" } }, manager(), delivery)).rejects.toThrow(/1 listener/);
  });

  it("names what is missing without the events module", async () => {
    const delivery = new AiResultDelivery({});
    const result: InferenceResult = { ok: false, jobId: "j", alias: "chat", error: { status: 400, detail: "x" } };
    await expect(delivery.deliver({ kind: "listener", name: "x" }, result)).rejects.toThrow(/needs the events module/);
    await expect(delivery.deliver({ kind: "component", component: "assistant", key: "k" }, result)).rejects.toThrow(/LIVE_BROADCASTER/);
  });

  it("is what the container binds as AI_RESULTS", () => {
    expect(app.resolve(AI_RESULTS)).toBeInstanceOf(AiResultDelivery);
  });
});
