import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ClusterManager } from "../../durable-objects/cluster/cluster-manager";
import { DurableObjectBroadcaster } from "../../worker/events/broadcaster";
import { ComponentRegistry } from "../../worker/templating/component-registry";
import { ComponentService } from "../../worker/templating/component-service";
import { COMPONENTS } from "../../worker/templating/tokens";
import { app } from "../fixtures/app";
import { APP_KEY, Client, connectViaWorker, hello, labs } from "../support/live";

const cluster = new ClusterManager({ shards: 16, shardsByComponent: { rooms: 4 } });
const registry = { rooms: "CLUSTER_LAB", counter: "COUNTER" };

describe("sharded components", () => {
  it("live(name, key) mounts the shard the entity key maps to, and a broadcast to that key reaches the same object", async () => {
    const service = new ComponentService(new ComponentRegistry(env, registry, cluster), { secret: APP_KEY, tokenTtl: 60 });
    const shard = cluster.instance("rooms", "room-42");
    expect(shard).toMatch(/^rooms:[0-3]$/);
    const html = (await service.live("rooms", "room-42")).value;
    expect(html).toContain(`data-live-key="${shard}"`);
    expect(html).toContain("0 watching");

    await new DurableObjectBroadcaster(env, registry, cluster).broadcast({ component: "rooms", key: "room-42" }, { id: "e1", name: "room.opened", payload: null, at: 1 });
    expect(await labs.CLUSTER_LAB.getByName(shard).applied()).toEqual([{ id: "e1", name: "room.opened" }]);
    // Nothing went to an object named by the entity key itself.
    expect(await labs.CLUSTER_LAB.getByName("room-42").applied()).toEqual([]);
  });

  it("spreads many entity keys over exactly the configured shards; unsharded components keep key = object", async () => {
    const names = new Set(Array.from({ length: 200 }, (_, i) => cluster.instance("rooms", `room-${i}`)));
    expect([...names].sort()).toEqual(["rooms:0", "rooms:1", "rooms:2", "rooms:3"]);
    const service = new ComponentService(new ComponentRegistry(env, registry, cluster), { secret: APP_KEY, tokenTtl: 60 });
    expect((await service.live("counter", "main")).value).toContain('data-live-key="main"');
  });

  it("end to end: config/cluster declares the shards, the page's mount names the shard, and its socket goes live through the /live route", async () => {
    await app.boot(env);
    // COMPONENTS is request-scoped (it binds the signed-in user): an anonymous scope, as a request without one.
    const html = (await app.container.createScope().resolve(COMPONENTS).live("rooms", "room-7")).value;
    const key = /data-live-key="([^"]+)"/.exec(html)![1]!;
    const token = /data-live-token="([^"]+)"/.exec(html)![1]!;
    expect(key).toBe(ClusterManager.fromConfig(app.config.cluster).instance("rooms", "room-7"));
    expect(key).toMatch(/^rooms:[0-3]$/);
    const res = await connectViaWorker("rooms", encodeURIComponent(key), { token });
    expect(res.status).toBe(101);
    const socket = new Client(res.webSocket!);
    await hello(socket, Number(/data-live-seq="(\d+)"/.exec(html)![1]));
    expect(await labs.CLUSTER_LAB.getByName(key).watchingNow()).toBe(1);
    socket.close();
  });
});
