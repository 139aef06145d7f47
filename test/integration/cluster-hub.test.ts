import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { HUB_BINDING } from "../../durable-objects/cluster/bindings";
import type { ServerFrame } from "../../durable-objects/realtime/protocol";
import { Client, connectViaWorker, hello } from "../support/live";
import { cluster, hubOf, registry, relay, relayName } from "../support/cluster";
import { replay } from "../support/replay";

// `hubbed` (test/fixtures/app.ts): every socket through relays of 2, each relay under one of 2 hubs.
const C = "hubbed";
const HUBS = 2;

async function viewer(key: string): Promise<Client> {
  const res = await connectViaWorker(C, key);
  expect(res.status).toBe(101);
  return new Client(res.webSocket!);
}

const root = (key: string) => cluster.LAB.getByName(key);
const rootHtml = async (key: string) => replay([await root(key).currentRender()]).html;
const shown = (c: Client) => replay(c.frames);
const lastSeq = (frames: ServerFrame[]) => replay(frames).state?.seq;
const epochOf = (c: Client) => (c.frames.find((f) => f.type === "render") as { epoch: string }).epoch;

/** What the root pushes to: its RelayLinks table. */
async function rootChildren(key: string): Promise<{ name: string; binding: string | null }[]> {
  return runInDurableObject(root(key), (_o, state) => state.storage.sql.exec<{ name: string; binding: string | null }>("SELECT name, binding FROM _stratus_relays ORDER BY name").toArray());
}

describe("hubs: root → hub → relay → viewer", () => {
  it("delivers every frame exactly once, in order, to viewers on relays under different hubs; the root pushes to hubs only", async () => {
    const key = "h-basic";
    // Relays 0..2 (2 sockets each): with 2 hubs, rendezvous puts them under one or both hubs.
    const vs = [] as Client[];
    for (let i = 0; i < 6; i++) vs.push(await viewer(key));
    for (const v of vs) await hello(v);
    for (let i = 1; i <= 5; i++) await root(key).dispatch("add", { by: i });
    const html = await rootHtml(key);
    for (const v of vs) {
      await v.until((c) => lastSeq(c.frames) === 5);
      expect(shown(v).seqs).toEqual([0, 1, 2, 3, 4, 5]);
      expect(v.of("render")).toHaveLength(1);
      expect(shown(v).html).toBe(html);
    }
    const hubs = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const h = hubOf(C, key, i, HUBS);
      expect((await h.stats()).relays).toContain(relayName(C, key, i));
      hubs.add(String(h.id));
    }
    const children = await rootChildren(key);
    expect(children.length).toBe(hubs.size);
    expect(children.every((c) => c.binding === HUB_BINDING)).toBe(true);
    // Hubs beat to the registry like relays but are never routed to.
    const routes = await registry(C, key).routes(C, key);
    expect(routes.relays.map((r) => r.relay).sort()).toEqual([0, 1, 2].map((i) => relayName(C, key, i)).sort());
    for (const v of vs) v.close();
  });

  it("keeps viewers exactly in step when a hub is evicted mid-stream, woken with its relay at their persisted heads; a resume older than the rings goes through a hub to the root", async () => {
    const key = "h-evict";
    const a = await viewer(key);
    const b = await viewer(key);
    await hello(a);
    await hello(b);
    for (let i = 1; i <= 3; i++) await root(key).dispatch("add", { by: 1 });
    await a.until((c) => lastSeq(c.frames) === 3);
    const hub = hubOf(C, key, 0, HUBS);
    await evictDurableObject(hub);
    for (let i = 4; i <= 6; i++) await root(key).dispatch("add", { by: 1 });
    await a.until((c) => lastSeq(c.frames) === 6);
    // Both gone from memory (rings lost); the relay's viewers show 6, the root moves on.
    await evictDurableObject(hub);
    await evictDurableObject(relay(C, key, 0));
    for (let i = 7; i <= 9; i++) await root(key).dispatch("add", { by: 1 });
    for (const v of [a, b]) {
      await v.until((c) => lastSeq(c.frames) === 9);
      expect(shown(v).seqs).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(v.of("render")).toHaveLength(1);
      expect(shown(v).html).toBe(await rootHtml(key));
    }
    // Woken at their persisted heads: no render was needed anywhere on the way.
    expect((await hub.stats()).renderFetches).toBe(0);
    expect((await relay(C, key, 0).stats()).renderFetches).toBe(0);
    // A viewer back from seq 5 lands on a new relay 1 (the Worker's cached counts say relay 0 is full): its ring starts at 9,
    // its hub's at 6 (hub 0, woken there) or 9 (a new hub 1). Older than both rings: the hub asks the root, once.
    const point = replay(a.frames.filter((f) => f.type === "render" || f.type === "diff").slice(0, 6)).state!;
    expect(point.seq).toBe(5);
    const upper = hubOf(C, key, 1, HUBS);
    const passedUp = (await upper.stats()).passedUp;
    a.close();
    const back = await viewer(key);
    await hello(back, 5, { epoch: epochOf(a), ...(point.rid ? { rid: point.rid } : {}) });
    await back.until((c) => replay(c.frames, point).seqs.at(-1) === 9);
    expect((await relay(C, key, 1).stats()).sockets).toBe(1);
    expect(back.of("render")).toHaveLength(0);
    expect(back.of("diff").map((f) => f.seq)).toEqual([6, 7, 8, 9]);
    expect((await upper.stats()).passedUp).toBe(passedUp + 1);
    b.close();
    back.close();
  });

  it("resumes a viewer on another relay of the same hub from the hub's ring, with exactly the missed frames and no root call", async () => {
    // An instance whose relays 0 and 1 hang under the same hub (the viewer comes back on relay 1: the Worker's cached counts say relay 0 is full).
    const key = ["h-resume-a", "h-resume-b", "h-resume-c", "h-resume-d", "h-resume-e", "h-resume-f"].find((k) => String(hubOf(C, k, 0, HUBS).id) === String(hubOf(C, k, 1, HUBS).id))!;
    const a = await viewer(key);
    const b = await viewer(key);
    await hello(a);
    await hello(b);
    await root(key).dispatch("add", { by: 1 });
    await a.until((c) => lastSeq(c.frames) === 1);
    const left = shown(a).state!;
    const epoch = epochOf(a);
    a.close();
    for (let i = 2; i <= 4; i++) await root(key).dispatch("add", { by: 1 });
    await b.until((c) => lastSeq(c.frames) === 4);
    // The relay forgets its ring (hibernation), so wherever the viewer lands its resume point is older than the relay's ring; the hub holds 1..4.
    await evictDurableObject(relay(C, key, 0));
    const hub = hubOf(C, key, 0, HUBS);
    const before = await hub.stats();
    const back = await viewer(key);
    await hello(back, left.seq, { epoch, ...(left.rid ? { rid: left.rid } : {}) });
    await back.until((c) => replay(c.frames, left).seqs.at(-1) === 4);
    expect(back.of("render")).toHaveLength(0);
    expect(back.of("diff").map((f) => [f.from, f.seq])).toEqual([[1, 2], [2, 3], [3, 4]]);
    expect(replay(back.frames, left).html).toBe(await rootHtml(key));
    const after = await hub.stats();
    expect(after.answered).toBeGreaterThan(before.answered);
    expect(after.passedUp).toBe(before.passedUp);
    b.close();
    back.close();
  });

  it("applies an action from a viewer under hub and relay once, with its ack after its diff; a resend of the id is acked, not applied", async () => {
    const key = "h-action";
    const a = await viewer(key);
    // Action ids are scoped to the browser tab (its client id), so a resend from a new socket is the same action.
    await hello(a, undefined, { client: "tab-0123456789abcdef" });
    expect(await a.act("add", { by: 2 }, "hub-act-1")).toEqual({ type: "ack", id: "hub-act-1", seq: 1 });
    expect(a.frames.slice(-2).map((f) => f.type)).toEqual(["diff", "ack"]);
    // The browser resends its outbox after a reconnect: same id, through whichever relay.
    a.close();
    const again = await viewer(key);
    await hello(again, 1, { epoch: epochOf(a), client: "tab-0123456789abcdef" });
    again.send({ type: "action", id: "hub-act-1", name: "add", args: { by: 2 } });
    await again.until((c) => c.frames.some((f) => f.type === "ack" && f.id === "hub-act-1"));
    expect(again.frames.find((f) => f.type === "ack")).toEqual({ type: "ack", id: "hub-act-1", seq: 1 });
    expect((await root(key).stats()).seq).toBe(1);
    again.close();
  });

  it("takes an epoch change through the hub: its heartbeat learns the new log, and every viewer below gets the new epoch's render", async () => {
    const key = "h-epoch";
    const a = await viewer(key);
    await hello(a);
    await root(key).dispatch("add", { by: 5 });
    await a.until((c) => lastSeq(c.frames) === 1);
    const oldEpoch = epochOf(a);
    await runInDurableObject(root(key), (_o, state) => state.storage.deleteAll());
    await evictDurableObject(root(key));
    await runDurableObjectAlarm(hubOf(C, key, 0, HUBS));
    await a.until((c) => c.frames.some((f) => f.type === "render" && f.epoch !== oldEpoch));
    const render = a.frames.find((f) => f.type === "render" && f.epoch !== oldEpoch)!;
    expect(render).toMatchObject({ seq: 0 });
    await root(key).dispatch("add", { by: 2 });
    await a.until((c) => replay(c.frames.slice(c.frames.indexOf(render))).seqs.at(-1) === 1);
    expect(replay(a.frames.slice(a.frames.indexOf(render))).html).toBe(await rootHtml(key));
    a.close();
  });

  it("a hub the registry drops as silent stops pulling from the root, and its relay's next heartbeat brings it back without losing a frame", async () => {
    const key = "h-drop";
    const a = await viewer(key);
    await hello(a);
    const hub = hubOf(C, key, 0, HUBS);
    const reg = registry(C, key);
    // The hub's last beat is a minute old; the relay's is fresh.
    const setup = JSON.parse(await runInDurableObject(hub, (_o, state) => state.storage.sql.exec<{ value: string }>("SELECT value FROM _stratus_hub WHERE key = 'setup'").one().value)) as { hub: string };
    await runInDurableObject(reg, (_o, state) => {
      state.storage.sql.exec("UPDATE _stratus_registry SET value = json_set(value, '$.beat.at', ?) WHERE relay = ?", Date.now() - 60_000, setup.hub);
    });
    await evictDurableObject(reg);
    expect(await runDurableObjectAlarm(reg)).toBe(true);
    expect((await hub.stats()).attached).toBe(false);
    expect((await rootChildren(key)).length).toBe(0);
    await root(key).dispatch("add", { by: 1 }); // nobody below the root hears it yet
    // The relay's heartbeat re-attaches through the hub, which re-attaches to the root and catches up.
    expect(await runDurableObjectAlarm(relay(C, key, 0))).toBe(true);
    expect((await hub.stats()).attached).toBe(true);
    await root(key).dispatch("add", { by: 1 });
    await a.until((c) => lastSeq(c.frames) === 2);
    expect(shown(a).seqs).toEqual([0, 1, 2]);
    expect(a.closed).toBeUndefined();
    a.close();
  });

  it("converges the root's watching count through the hub as viewers come and go", async () => {
    const key = "h-watching";
    const vs = [await viewer(key), await viewer(key), await viewer(key)];
    for (const v of vs) await hello(v);
    const open = new Set(vs);
    const watching = async () => {
      // The fixture's socket heartbeat window is 1 s: viewers that stay ping, as a browser does.
      for (const c of open) c.send({ type: "ping" });
      return (await root(key).stats()).watching;
    };
    await expect.poll(watching, { timeout: 8000, interval: 200 }).toBe(3);
    for (const v of vs.slice(0, 2)) {
      open.delete(v);
      v.close();
    }
    await expect.poll(watching, { timeout: 8000, interval: 200 }).toBe(1);
    // The count went up as one report per hub: each hub holds its relays' counts, and they add up to the root's.
    const hubs = [...new Map([0, 1].map((i) => [String(hubOf(C, key, i, HUBS).id), hubOf(C, key, i, HUBS)])).values()];
    const perHub = await Promise.all(hubs.map(async (h) => (await h.stats()).watching));
    expect(perHub.reduce((n, w) => n + w, 0)).toBe(1);
    for (const v of open) v.close();
  });
});
