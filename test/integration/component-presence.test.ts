import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { defaultOptions } from "../../durable-objects/options";
import { wire } from "../fixtures/wire-lab";
import { connectDirect, hello, labs } from "../support/live";

/**
 * These tests read the root's own presence (stats().present, onConnect/onDisconnect): with relays,
 * each relay owns its viewers' presence and reports only counts upward (the root's `watching`,
 * test/integration/cluster-relay.test.ts), so they connect to the root in both runs.
 */
const ROOT = { root: true };

describe("presence", () => {
  it("sends the list on hello, joins to others, leaves on close", async () => {
    const a = await connectDirect(labs.LAB, "presence-1", "ada", ROOT);
    await hello(a);
    expect(a.of("presence")[0]!.list).toEqual([{ id: expect.any(String), user: "ada" }]);
    const adaId = a.of("presence")[0]!.list![0]!.id;

    const b = await connectDirect(labs.LAB, "presence-1", "bob", ROOT);
    await hello(b);
    const list = b.of("presence")[0]!.list!;
    expect(list.map((e) => e.user).sort()).toEqual(["ada", "bob"]);
    // Joins inside one window share a frame (ada's own may ride with bob's): entries, by id.
    await a.until((x) => x.of("presence").some((p) => p.joins?.some((e) => e.user === "bob")));
    const bobId = a.of("presence").flatMap((p) => p.joins ?? []).find((e) => e.user === "bob")!.id;
    expect(a.of("presence").at(-1)!.count).toBe(2);

    b.close();
    await a.until((x) => x.of("presence").some((p) => p.leaves?.includes(bobId)));
    expect(a.of("presence").at(-1)!.count).toBe(1);
    expect((await labs.LAB.getByName("presence-1").stats()).present).toBe(1);
    expect(adaId).not.toBe(bobId);
    a.close();
  });

  it("survives hibernation: identities come back from the socket attachments", async () => {
    const stub = labs.LAB.getByName("presence-2");
    const a = await connectDirect(labs.LAB, "presence-2", "ada", ROOT);
    const b = await connectDirect(labs.LAB, "presence-2", "bob", ROOT);
    await hello(a);
    await hello(b);
    await evictDurableObject(stub);
    // A fresh instance: sockets still open, presence rebuilt from attachments.
    expect((await stub.stats()).present).toBe(2);
    const c = await connectDirect(labs.LAB, "presence-2", "cy", ROOT);
    await hello(c);
    expect(c.of("presence")[0]!.list!.map((e) => e.user).sort()).toEqual(["ada", "bob", "cy"]);
    // Hibernated sockets still receive broadcasts and act, with their identity.
    a.send({ type: "action", id: "after-wake", name: "add", args: { by: 1 } });
    await a.until((x) => x.of("ack").length === 1);
    await b.until((x) => x.of("diff").length === 1);
    b.close();
    await a.until((x) => x.of("presence").some((p) => p.leaves !== undefined));
    a.close();
    c.close();
  });

  it("coalesces a join storm: fewer frames than joins, each with the exact count, converging as sockets come and go", async () => {
    const key = "presence-storm";
    const watcher = await connectDirect(labs.LAB, key, "watcher", ROOT);
    await hello(watcher);
    const crowd = await Promise.all(Array.from({ length: 20 }, (_, i) => connectDirect(labs.LAB, key, `u${i}`, ROOT)));
    const t0 = Date.now();
    for (const c of crowd) c.send({ type: "hello", v: 1 });
    await watcher.until((x) => x.of("presence").at(-1)!.count === 21);
    const joinFrames = watcher.of("presence").filter((p) => p.joins);
    // One frame per window (100 ms here) at most: the leading one, then one per window that had joins.
    expect(joinFrames.length).toBeLessThan(crowd.length);
    expect(joinFrames.length).toBeLessThanOrEqual(2 + Math.ceil((Date.now() - t0) / defaultOptions.presence.frameMs));
    // 20 joins fit the 32 samples: every one is named (the watcher's own may ride along).
    const named = new Set(joinFrames.flatMap((p) => p.joins!.map((e) => e.user)));
    expect(crowd.map((_, i) => `u${i}`).filter((u) => !named.has(u))).toEqual([]);

    const before = watcher.of("presence").length;
    for (const c of crowd.slice(0, 10)) c.close();
    await watcher.until((x) => x.of("presence").at(-1)!.count === 11);
    const leaves = watcher.of("presence").slice(before).flatMap((p) => p.leaves ?? []);
    expect(leaves).toHaveLength(10);
    expect((await labs.LAB.getByName(key).stats()).present).toBe(11);
    for (const c of [watcher, ...crowd.slice(10)]) c.close();
  });
});

describe("heartbeat", () => {
  it("closes a silent socket with 4009 and keeps one that pings", async () => {
    const idle = await connectDirect(labs.LAB, "heartbeat-1", "idle");
    const alive = await connectDirect(labs.LAB, "heartbeat-1", "alive");
    await hello(idle);
    await hello(alive);
    // The exact ping text is answered by the runtime without waking the object.
    const timer = setInterval(() => alive.send('{"type":"ping"}'), 100);
    try {
      await idle.until((x) => x.closed !== undefined, 5000);
    } finally {
      clearInterval(timer);
    }
    expect(idle.closed!.code).toBe(4009);
    expect(alive.closed).toBeUndefined();
    // The runtime answered its pings (how many depends on the machine's speed, so no count).
    expect(alive.of("pong").length).toBeGreaterThan(0);
    await alive.until((x) => x.of("presence").some((p) => p.leaves !== undefined));
    alive.close();
  });
});

describe("a swept socket across hibernation", () => {
  it("leaves presence once: not counted again after a wake, onDisconnect not run again", async () => {
    const stub = labs.GHOST_LAB.getByName("ghost-1");
    const ghost = await connectDirect(labs.GHOST_LAB, "ghost-1", "ghost", { halfOpen: true, ...ROOT });
    const alive = await connectDirect(labs.GHOST_LAB, "ghost-1", "alive", ROOT);
    await hello(ghost);
    await hello(alive);
    const ghostId = ghost.of("presence")[0]!.list!.find((e) => e.user === "ghost")!.id;
    const timer = setInterval(() => alive.send('{"type":"ping"}'), 100);
    // Fires the heartbeat now (its task made due), as the alarm would.
    const heartbeat = async () => {
      await runInDurableObject(stub, (_i, state) => void state.storage.sql.exec("UPDATE _stratus_schedule SET at = 0"));
      await runDurableObjectAlarm(stub);
    };
    try {
      // The ghost never answers the server's close, so the runtime keeps listing its socket.
      await ghost.until((x) => x.closed !== undefined, 5000);
      expect(ghost.closed!.code).toBe(4009);
      await alive.until((x) => x.of("presence").some((p) => p.leaves?.includes(ghostId)));
      expect(wire.disconnects.filter((id) => id === ghostId)).toHaveLength(1);
      for (let i = 0; i < 2; i++) {
        await evictDurableObject(stub);
        expect((await stub.stats()).present).toBe(1);
        await heartbeat();
        expect(wire.disconnects.filter((id) => id === ghostId)).toHaveLength(1);
      }
      // A newcomer's list has no ghost either, and the ghost left once for those who watched.
      const late = await connectDirect(labs.GHOST_LAB, "ghost-1", "late", ROOT);
      await hello(late);
      expect(late.of("presence")[0]!.list!.map((e) => e.user).sort()).toEqual(["alive", "late"]);
      expect(alive.of("presence").filter((p) => p.leaves?.includes(ghostId))).toHaveLength(1);
      late.close();
    } finally {
      clearInterval(timer);
      ghost.close();
      alive.close();
    }
  });
});
