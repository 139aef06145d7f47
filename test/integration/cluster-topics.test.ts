import { env } from "cloudflare:workers";
import { evictDurableObject, runDurableObjectAlarm } from "cloudflare:test";
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
  it("deliver every event to a subscriber once, in order, through the registry's log, with the subscriber and the registry evicted between events", async () => {
    const key = "t-tree";
    await topics.subscribe("feed.*", sub(key));
    const events = dispatcher();
    const ids: string[] = [];
    const publish = async (n: number) => ids.push((await events.dispatch("project.updated", { project: n }, { broadcastTo: { topic: `feed.${n}` } })).id);
    await publish(1);
    await expect.poll(async () => (await applied(key)).length).toBe(1);
    await evictDurableObject(labs.CLUSTER_LAB.getByName(key));
    await publish(2);
    await evictDurableObject(env.TOPICS.getByName("feed"));
    await publish(3);
    await publish(4);
    await expect.poll(async () => (await applied(key)).map((a) => a.id)).toEqual(ids);
    // The instance's cursor in the registry's log is in SQLite: what it applied survives its eviction.
    await evictDurableObject(labs.CLUSTER_LAB.getByName(key));
    expect(await labs.CLUSTER_LAB.getByName(key).topicCursor("feed")).toMatchObject({ seq: 4 });
    // After the burst the registry tells each instance its last entry (a lost tail would be fetched then); nothing more is applied.
    expect(await runDurableObjectAlarm(env.TOPICS.getByName("feed"))).toBe(true);
    expect((await applied(key)).map((a) => a.id)).toEqual(ids);
  });


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
    // The registry logged it and pushes it down its tree: t-both, matched by two patterns, is one subscriber.
    expect(result.broadcast).toBe(2);
    const once = [{ id: result.id, name: "project.updated" }];
    await expect.poll(() => applied("t-wild")).toEqual(once);
    await expect.poll(() => applied("t-both")).toEqual(once);
    expect(await applied("t-other")).toEqual([]);
    expect(await applied("t-tenant")).toEqual([]);

    // A retry of the same event (a queue redelivery, a Worker that retried) applies nothing twice:
    // the registry logs an event once per topic, and each instance applies an event id once.
    const broadcaster = new DurableObjectBroadcaster(env, registry);
    const again = { id: result.id, name: "project.updated", payload: { project: 7 }, at: Date.now() };
    expect(await topics.publish("project.7", again, broadcaster.directory())).toMatchObject({ duplicate: true, subscribers: 0 });
    for (const s of await topics.subscribers("project.7")) await broadcaster.broadcast(s, again);
    expect(await applied("t-wild")).toEqual(once);
    expect(await applied("t-both")).toEqual(once);

    // It went through the subscriber's normal frame path: its sockets got the commit as a diff.
    await direct.until((c) => c.of("diff").length >= 1);
    direct.close();
  });

  it("a queued topic rule puts one job per topic on the queue (its registry delivers), and each subscriber applies the event once", async () => {
    await topics.subscribe("tenant:9", sub("q-a"));
    await topics.subscribe("tenant:9", sub("q-b"));
    const events = dispatcher().broadcast("project.updated", () => ({ topic: "tenant:9" }), { queued: true });
    const result = await events.dispatch("project.updated", { project: 1 });
    expect(result.queued).toBe(1);
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
    expect(await env.TOPICS.getByName("board").publish("board.x", { id: "", name: "n", payload: null, at: 0 }, {})).toMatchObject({ ok: false, message: expect.stringMatching(/published event/) });
    await expect(topics.publish("board..x", { id: "e", name: "n", payload: null, at: 0 }, {})).rejects.toBeInstanceOf(TopicError);
    await topics.subscribe("board.*", sub("u-2"));
    expect(await topics.subscribers("board.x")).toEqual([sub("u-2")]);
  });
});
