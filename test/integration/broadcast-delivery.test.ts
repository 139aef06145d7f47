// At-least-once delivery to live components: a component that fails to apply an event
// fails the job that carried it, so the queue retries, and the event id applies it once.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { AiResultDelivery } from "../../worker/ai/delivery";
import type { InferenceResult } from "../../worker/ai/queued";
import { BROADCAST_JOB } from "../../worker/events/broadcast-job";
import { BroadcastFailedError, DurableObjectBroadcaster, LIVE_BROADCASTER } from "../../worker/events/broadcaster";
import { deliver, envelope } from "../support/batch";
import { registerJobs } from "../support/jobs";
import type { Lab } from "../fixtures/lab";
import { labs } from "../support/live";

const broadcaster = () => new DurableObjectBroadcaster(env, { lab: "LAB" });

beforeAll(async () => {
  const app = await registerJobs({});
  // The consumer resolves the app's broadcaster: point it at the test components.
  app.container.value(LIVE_BROADCASTER, broadcaster());
});

const total = (key: string) => runInDurableObject(labs.LAB.getByName(key), (lab: Lab) => lab.liveState().total);

describe("broadcast failures reach the queue", () => {
  it("a queued broadcast whose onEvent throws is retried by the queue and applied once", async () => {
    const key = `bq-${crypto.randomUUID().slice(0, 8)}`;
    const body = envelope(BROADCAST_JOB.name, { target: { component: "lab", key }, event: { id: `evt-${key}`, name: "flaky-bump", payload: { by: 3 }, at: Date.now() } });
    const first = await deliver([{ body, attempts: 1 }]);
    expect(first.retryMessages).toEqual([{ msgId: first.ids[0] }]);
    expect(first.explicitAcks).toEqual([]);
    const stub = labs.LAB.getByName(key);
    expect((await stub.stats()).seq).toBe(0);

    const second = await deliver([{ body, attempts: 2 }]);
    expect(second.explicitAcks).toEqual(second.ids);
    expect(second.retryMessages).toEqual([]);
    // A redelivery of the same message (at least once) is acked without applying it again.
    const third = await deliver([{ body, attempts: 3 }]);
    expect(third.explicitAcks).toEqual(third.ids);
    const stats = await stub.stats();
    expect(stats.seq).toBe(1);
    expect(await total(key)).toBe(3);
  });

  it("the broadcaster rejects with the component's reason when it did not apply the event", async () => {
    const key = `bd-${crypto.randomUUID().slice(0, 8)}`;
    const event = { id: `evt-${key}`, name: "flaky-bump", payload: { by: 2 }, at: Date.now() };
    const failure = await broadcaster().broadcast({ component: "lab", key }, event).then(() => undefined, (e: unknown) => e);
    expect(failure).toBeInstanceOf(BroadcastFailedError);
    expect(String(failure)).toContain(`lab/${key}`);
    await broadcaster().broadcast({ component: "lab", key }, event);
    expect(await total(key)).toBe(2);
  });

  it("an AI result delivered to a component fails the delivery when onEvent throws, and applies once on retry", async () => {
    const key = `ai-${crypto.randomUUID().slice(0, 8)}`;
    const delivery = new AiResultDelivery({ broadcaster });
    const result: InferenceResult = { ok: true, jobId: `job-${key}`, alias: "chat", output: { response: "hi" }, model: "m", cached: false, queuedMs: 1 };
    const target = { kind: "component" as const, component: "lab", key, event: "flaky-bump" };
    await expect(delivery.deliver(target, result)).rejects.toThrow(BroadcastFailedError);
    await delivery.deliver(target, result);
    await delivery.deliver(target, result);
    expect((await labs.LAB.getByName(key).stats()).seq).toBe(1);
  });
});
