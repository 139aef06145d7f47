import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { CloseCodes } from "../../durable-objects/realtime/protocol";
import { Client, connectViaWorker, hello } from "../support/live";
import { cluster, registry, relay, relayName } from "../support/cluster";
import type { LabState } from "../fixtures/lab";

async function viewer(key: string): Promise<Client> {
  const res = await connectViaWorker("relayed", key);
  expect(res.status).toBe(101);
  return new Client(res.webSocket!);
}

const CLIENT = "client-0123456789abcdef";

describe("registry and health", () => {
  it("lists a relay from its heartbeat, and drops it with its viewers (4011) once it falls silent", async () => {
    const key = "h-drop";
    const a = await viewer(key);
    await hello(a);
    const reg = registry("relayed", key);
    const map = await reg.routes("relayed", key);
    expect(map.relays).toEqual([{ relay: relayName("relayed", key), sockets: 1, capacity: 3, state: "live" }]);
    // Its last beat is now a minute old (a relay that stopped answering).
    await runInDurableObject(reg, (_o, state) => {
      state.storage.sql.exec("UPDATE _stratus_registry SET value = json_set(value, '$.beat.at', ?)", Date.now() - 60_000);
    });
    await evictDurableObject(reg);
    expect((await reg.routes("relayed", key)).relays).toEqual([]);
    expect(await runDurableObjectAlarm(reg)).toBe(true);
    await a.until((c) => c.closed !== undefined);
    expect(a.closed!.code).toBe(CloseCodes.relayDropped);
    expect(await relay("relayed", key).stats()).toMatchObject({ sockets: 0, attached: false });
  });

  it("applies an action from a relay viewer once when the relay dies after forwarding it", async () => {
    const key = "h-once";
    const a = await viewer(key);
    await hello(a, undefined, CLIENT);
    // A slow action: the relay forwards it, then dies while the root is still deciding.
    a.send({ type: "action", id: "slow-1", name: "numbered", args: { ms: 150 } });
    await new Promise((r) => setTimeout(r, 40));
    // Killed outright (a crash, not a graceful eviction): the forwarded call's answer has nowhere to go.
    await runInDurableObject(relay("relayed", key), (_o, state) => state.abort("relay crashed")).catch(() => undefined);
    await a.until((c) => c.closed !== undefined);
    expect(a.of("ack")).toHaveLength(0);
    // The browser reconnects and resends its outbox with the same ids (and the same client id).
    const b = await viewer(key);
    await hello(b, undefined, CLIENT);
    const answer = await b.act("numbered", { ms: 150 }, "slow-1");
    expect(answer).toMatchObject({ type: "ack", id: "slow-1", seq: 1 });
    const state = (await cluster.LAB.getByName(key).stateAt(1)) as { state: LabState };
    expect(state.state.items).toEqual(["#1"]);
    expect((await cluster.LAB.getByName(key).stats()).seq).toBe(1);
    b.close();
  });

  it("sends the ack and errors of an action to the viewer that sent it only", async () => {
    const key = "h-errors";
    const a = await viewer(key);
    const b = await viewer(key);
    await hello(a);
    await hello(b);
    expect(await a.act("refuse", {}, "no-1")).toMatchObject({ type: "error", id: "no-1" });
    expect(await a.act("add", { by: "x" }, "bad-1")).toMatchObject({ type: "error", id: "bad-1", code: "invalid_args" });
    await a.act("add", { by: 1 }, "ok-1");
    await b.until((c) => c.of("diff").length === 1);
    expect(b.frames.filter((f) => f.type === "ack" || f.type === "error")).toEqual([]);
    a.close();
    b.close();
  });
});
