import { env } from "cloudflare:workers";
import { evictDurableObject } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import type { Application } from "../../worker/app/application";
import { DurableObjectBroadcaster } from "../../worker/events/broadcaster";
import { EventDispatcher } from "../../worker/events/dispatcher";
import { TopicError, Topics } from "../../worker/events/topics";
import { Logger } from "../../worker/http/logger";
import { JOB_REGISTRY, JOBS } from "../../worker/queue/tokens";
import { eventually, registerJobs } from "../support/jobs";
import { connectDirect, hello, labs } from "../support/live";

interface TopicEvents {
  "project.updated": { project: number };
}

const registry = { "cluster-lab": "CLUSTER_LAB" };
const topics = Topics.fromEnv(env);
const sub = (key: string) => ({ component: "cluster-lab", key });
const applied = (key: string) => labs.CLUSTER_LAB.getByName(key).applied();

let app: Application;
beforeAll(async () => {
  app = await registerJobs({});
});

function dispatcher() {
  return new EventDispatcher<TopicEvents>({
    log: new Logger("error", { app: "test" }, () => {}),
    registry: app.resolve(JOB_REGISTRY),
    jobs: () => app.resolve(JOBS),
    broadcaster: () => new DurableObjectBroadcaster(env, registry),
    topics: () => topics,
  });
}

describe("topics", () => {
  it("survive eviction of the registry, and a broadcast reaches each subscriber exactly once, retries included", async () => {
    expect(await topics.subscribe("project.*", sub("t-wild"))).toBe(true);
    expect(await topics.subscribe("project.*", sub("t-wild"))).toBe(false);
    await topics.subscribe("project.7", sub("t-both"));
    await topics.subscribe("project.**", sub("t-both"));
    await topics.subscribe("project.8", sub("t-other"));
    await topics.subscribe("tenant:42", sub("t-tenant"));
    const direct = await connectDirect(labs.CLUSTER_LAB, "t-wild", "ada");
    await hello(direct);

    // Subscriptions are in the registry's SQLite, not its memory.
    await evictDurableObject(env.TOPICS.getByName("project"));
    expect((await topics.subscribers("project.7")).map((s) => s.key).sort()).toEqual(["t-both", "t-wild"]);

    const events = dispatcher();
    const result = await events.dispatch("project.updated", { project: 7 }, { broadcastTo: { topic: "project.7" } });
    expect(result.broadcast).toBe(2);
    expect(await applied("t-wild")).toEqual([{ id: result.id, name: "project.updated" }]);
    expect(await applied("t-both")).toEqual([{ id: result.id, name: "project.updated" }]);
    expect(await applied("t-other")).toEqual([]);
    expect(await applied("t-tenant")).toEqual([]);

    // A retry of the same event (a queue redelivery, a Worker that retried) applies nothing twice.
    const broadcaster = new DurableObjectBroadcaster(env, registry);
    const again = { id: result.id, name: "project.updated", payload: { project: 7 }, at: Date.now() };
    for (const s of await topics.subscribers("project.7")) await broadcaster.broadcast(s, again);
    expect(await applied("t-wild")).toHaveLength(1);
    expect(await applied("t-both")).toHaveLength(1);

    // It went through the subscriber's normal frame path: its sockets got the commit as a diff.
    await direct.until((c) => c.of("diff").length >= 1);
    direct.close();
  });

  it("a queued topic rule puts one job per subscriber on the queue, and each subscriber applies the event once", async () => {
    await topics.subscribe("tenant:9", sub("q-a"));
    await topics.subscribe("tenant:9", sub("q-b"));
    const events = dispatcher().broadcast("project.updated", () => ({ topic: "tenant:9" }), { queued: true });
    const result = await events.dispatch("project.updated", { project: 1 });
    expect(result.queued).toBe(2);
    for (const key of ["q-a", "q-b"]) {
      expect(await eventually(async () => ((await applied(key)).length > 0 ? await applied(key) : undefined))).toEqual([{ id: result.id, name: "project.updated" }]);
    }
  });

  it("unsubscribes, and refuses bad topics and patterns with a clear error, the registry unharmed", async () => {
    await topics.subscribe("board.*", sub("u-1"));
    expect(await topics.unsubscribe("board.*", sub("u-1"))).toBe(true);
    expect(await topics.unsubscribe("board.*", sub("u-1"))).toBe(false);
    expect(await topics.subscribers("board.x")).toEqual([]);
    await expect(topics.subscribe("*.x", sub("u-1"))).rejects.toThrow(/first segment/);
    await expect(topics.subscribers("board..x")).rejects.toBeInstanceOf(TopicError);
    // Straight to the object, past the client's checks: a message, not a broken object.
    expect(await env.TOPICS.getByName("board").subscribe("board.*", { component: "", key: "k" })).toMatchObject({ ok: false, message: expect.stringMatching(/subscriber/) });
    expect(await env.TOPICS.getByName("board").subscribers("board.**")).toMatchObject({ ok: false });
    await topics.subscribe("board.*", sub("u-2"));
    expect(await topics.subscribers("board.x")).toEqual([sub("u-2")]);
  });
});
