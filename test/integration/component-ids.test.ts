// Action ids are scoped: per user, per client (stable across reconnects), per connection,
// RPC on its own; the framework's own keys (broadcasts, alarm runs) are out of every caller's reach.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { ServerFrame } from "../../durable-objects/realtime/protocol";
import type { Lab } from "../fixtures/lab";
import { type Client, connectDirect, hello, labs } from "../support/live";

const uid = () => crypto.randomUUID().slice(0, 8);

async function action(c: Client, id: string, name: string, args: unknown): Promise<ServerFrame> {
  c.send({ type: "action", id, name, args });
  await c.until((x) => x.frames.some((f) => (f.type === "ack" || f.type === "error") && f.id === id));
  return c.frames.find((f) => (f.type === "ack" || f.type === "error") && f.id === id)!;
}

describe("action id scopes", () => {
  it("a socket sending a broadcast's or an alarm run's key does not pre-empt it", async () => {
    const key = `preempt-${uid()}`;
    const stub = labs.LAB.getByName(key);
    await runInDurableObject(stub, (lab: Lab) => lab.scheduleNow("tick"));
    const [task] = await runInDurableObject(stub, (lab: Lab) => lab.scheduledTasks());
    const c = await connectDirect(labs.LAB, key);
    await hello(c);
    const forged = [`broadcast:evt-${key}`, `!broadcast:evt-${key}`, `alarm:${task!.id}:${task!.at}`, `!alarm:${task!.id}:${task!.run}`];
    for (const id of forged) expect(await action(c, id, "add", { by: 1 })).toMatchObject({ type: "ack", id });
    c.close();
    // The task is due at once: the platform may run it before the broadcast, so its seq is 5 or 6.
    expect(await stub.receiveBroadcast({ id: `evt-${key}`, name: "bump", payload: { by: 10 }, at: Date.now() })).toMatchObject({ ok: true, duplicate: false });
    await runDurableObjectAlarm(stub);
    const state = await runInDurableObject(stub, (lab: Lab) => lab.liveState());
    expect(state.total).toBe(14);
    expect(state.ticks).toBe(1);
  });

  it("two users sending the same id both run", async () => {
    const key = `users-${uid()}`;
    const a = await connectDirect(labs.LAB, key, "ann");
    const b = await connectDirect(labs.LAB, key, "bob");
    await hello(a);
    await hello(b);
    const fa = await action(a, "same-id", "add", { by: 1 });
    const fb = await action(b, "same-id", "add", { by: 2 });
    expect([fa, fb].map((f) => f.type === "ack" && f.seq).sort()).toEqual([1, 2]);
    // One user's own retry, from another socket, is still a duplicate.
    const a2 = await connectDirect(labs.LAB, key, "ann");
    await hello(a2);
    expect(await action(a2, "same-id", "add", { by: 1 })).toEqual(fa);
    for (const c of [a, b, a2]) c.close();
    expect((await labs.LAB.getByName(key).stats()).seq).toBe(2);
  });

  it("anonymous sockets are scoped by the client id of their hello, else by connection", async () => {
    const key = `anon-${uid()}`;
    const one = await connectDirect(labs.LAB, key);
    const two = await connectDirect(labs.LAB, key);
    const bare = await connectDirect(labs.LAB, key);
    await hello(one, undefined, `client-one-${crypto.randomUUID()}`);
    await hello(two, undefined, `client-two-${crypto.randomUUID()}`);
    await hello(bare);
    for (const c of [one, two, bare]) expect(await action(c, "a1", "add", { by: 1 })).toMatchObject({ type: "ack" });
    expect((await labs.LAB.getByName(key).stats()).seq).toBe(3);
    for (const c of [one, two, bare]) c.close();
  });

  it("RPC ids are scoped per user and never meet socket ids", async () => {
    const stub = labs.LAB.getByName(`rpc-${uid()}`);
    expect(await stub.dispatch("add", { by: 1 }, { user: "ann" }, "r1")).toEqual({ ok: true, seq: 1, duplicate: false });
    expect(await stub.dispatch("add", { by: 1 }, { user: "bob" }, "r1")).toEqual({ ok: true, seq: 2, duplicate: false });
    expect(await stub.dispatch("add", { by: 1 }, {}, "r1")).toEqual({ ok: true, seq: 3, duplicate: false });
    expect(await stub.dispatch("add", { by: 1 }, { user: "ann", id: "another-caller" }, "r1")).toEqual({ ok: true, seq: 1, duplicate: true });
  });

  it("a hello whose client id is too short or not a string gets a bad_frame error", async () => {
    const c = await connectDirect(labs.LAB, `badclient-${uid()}`);
    c.send({ type: "hello", v: 1, client: "short" });
    c.send({ type: "hello", v: 1, client: 42 });
    await c.until((x) => x.of("error").length === 2);
    expect(c.of("error").map((e) => e.code)).toEqual(["bad_frame", "bad_frame"]);
    c.close();
  });
});
