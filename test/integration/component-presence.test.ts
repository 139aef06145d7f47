import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { wire } from "../fixtures/wire-lab";
import { connectDirect, hello, labs } from "../support/live";

/**
 * These tests read the root's own presence (stats().present, onConnect/onDisconnect): with relays,
 * each relay owns its viewers' presence and reports it upward (the presence reporter plugs into
 * relay-presence-hook.ts), so they connect to the root in both runs.
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
    await a.until((x) => x.of("presence").some((p) => p.joins?.[0]?.user === "bob"));
    const bobId = a.of("presence").find((p) => p.joins)!.joins![0]!.id;

    b.close();
    await a.until((x) => x.of("presence").some((p) => p.leaves?.includes(bobId)));
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
