// The seams for the two parts that wait on other areas: queued inference
// (jobs system) and streaming into a live component (component runtime).
import { beforeEach, describe, expect, it } from "vitest";
import type { TextUpdate } from "../../worker/ai/coalesce";
import { streamInto } from "../../worker/ai/live";
import { handleInferenceJob, inferenceJob, ResultListeners, type InferenceJob, type InferenceResult } from "../../worker/ai/queued";
import { manager, standin } from "../support/ai";

beforeEach(async () => {
  await standin.__reset();
});

describe("streamInto (token stream to a live sink)", () => {
  it("delivers growing text, coalesced, ending with the full answer", async () => {
    const words = Array.from({ length: 40 }, (_, i) => `w${i}`).join(" ");
    const stream = await manager().stream("chat", { prompt: words });
    const updates: TextUpdate[] = [];
    const result = await streamInto(stream, { update: (u) => void updates.push(u) }, { flushMs: 25 });
    expect(result.text).toBe(`Echo: ${words}`);
    expect(result.usage).toMatchObject({ completion_tokens: 41 });
    expect(updates.at(-1)).toMatchObject({ text: result.text, done: true });
    // 41 tokens arrive about 1 ms apart: far fewer updates than tokens.
    expect(updates.length).toBeLessThan(20);
    for (let i = 1; i < updates.length; i++) expect(updates[i]!.text.startsWith(updates[i - 1]!.text)).toBe(true);
  });

  it("tells the sink when the stream breaks midway and keeps the partial text", async () => {
    const stream = await manager().stream("chat", { prompt: "a b c d e f [break@3]" });
    const failures: { message: string; text: string }[] = [];
    const sink = { update: () => {}, fail: (e: Error, text: string) => void failures.push({ message: e.message, text }) };
    await expect(streamInto(stream, sink, { flushMs: 10 })).rejects.toThrow();
    expect(failures).toHaveLength(1);
    expect(failures[0]!.text).toBe("Echo: a b");
  });
});

describe("queued inference seams", () => {
  it("ai.queue validates, then hands a serialisable job to the dispatcher", async () => {
    const ai = manager();
    const jobs: InferenceJob[] = [];
    ai.useDispatcher({ dispatch: async (job) => void jobs.push(structuredClone(job)) });
    const { id } = await ai.queue("summarize", { input_text: "queue me" }, { onResult: "summary.ready" });
    expect(jobs).toEqual([expect.objectContaining({ id, alias: "summarize", input: { input_text: "queue me" }, deliver: { kind: "listener", name: "summary.ready" } })]);
    expect(JSON.stringify(jobs[0]).length).toBeLessThan(128 * 1024);
    expect(await standin.__calls()).toHaveLength(0);
  });

  it("ai.queue rejects bad input before dispatching, and says what is missing without a dispatcher", async () => {
    const ai = manager({ vars: { AI_SUMMARIZE_MAX_CHARS: "10" } });
    await expect(ai.queue("summarize", { input_text: "x".repeat(11) }, { onResult: "l" })).rejects.toMatchObject({ status: 413 });
    await expect(ai.queue("summarize", { input_text: "short" }, { onResult: "l" })).rejects.toMatchObject({ status: 503, message: expect.stringContaining("jobs system") });
  });

  it("the job handler runs the inference and delivers the result to a listener", async () => {
    const ai = manager();
    const received: InferenceResult[] = [];
    const listeners = new ResultListeners().on("summary.ready", (r) => void received.push(r));
    const job = inferenceJob("summarize", { input_text: "deliver this summary please" }, { onResult: "summary.ready" });
    await handleInferenceJob(job, ai, listeners);
    expect(received).toEqual([expect.objectContaining({ ok: true, jobId: job.id, alias: "summarize", output: { summary: "deliver this summary please" }, model: "@cf/facebook/bart-large-cnn" })]);
  });

  it("delivers a permanent failure as ok:false and rethrows a retryable one for the queue to retry", async () => {
    const received: InferenceResult[] = [];
    const listeners = new ResultListeners().on("l", (r) => void received.push(r));
    const tooBig = inferenceJob("summarize", { input_text: "x".repeat(20_001) }, { onResult: "l" });
    await handleInferenceJob(tooBig, manager(), listeners);
    expect(received[0]).toMatchObject({ ok: false, error: { status: 413 } });
    const failing = inferenceJob("summarize", { input_text: "x" }, { onResult: "l" });
    await expect(handleInferenceJob(failing, manager({ vars: { AI_SUMMARIZE_MODELS: "@standin/fail", AI_RETRY_ATTEMPTS: "1" } }), listeners)).rejects.toMatchObject({ status: 502 });
    expect(received).toHaveLength(1);
  });

  it("refuses to deliver to an unknown listener or to components before the runtime exists", async () => {
    const listeners = new ResultListeners();
    const result: InferenceResult = { ok: false, jobId: "j", alias: "chat", error: { status: 400, detail: "x" } };
    await expect(listeners.deliver({ kind: "listener", name: "nobody" }, result)).rejects.toThrow(/No listener named "nobody"/);
    await expect(listeners.deliver({ kind: "component", component: "news", key: "front", action: "aiResult" }, result)).rejects.toThrow(/No component delivery/);
  });
});
