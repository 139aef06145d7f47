import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { SeqFrame } from "../../durable-objects/cluster/sequencer";
import { CloseCodes, type ServerFrame } from "../../durable-objects/realtime/protocol";
import { RELAY_FULL_HEADER, registryName } from "../../durable-objects/cluster/bindings";
import { Client, connectViaWorker, hello } from "../support/live";
import { cluster, connectRelay, relay, relayName } from "../support/cluster";
import { replay } from "../support/replay";

async function viewer(component: string, key: string): Promise<Client> {
  const res = await connectViaWorker(component, key);
  expect(res.status).toBe(101);
  return new Client(res.webSocket!);
}

const root = (key: string) => cluster.LAB.getByName(key);
const rootHtml = async (key: string) => replay([await root(key).currentRender()]).html;
/** What the viewer shows, checking that every frame follows the one before it (none lost, none twice). */
const shown = (c: Client) => replay(c.frames);
const lastSeq = (frames: ServerFrame[]) => shown({ frames } as Client).state?.seq;

/**
 * A viewer shows seq 1 when its relay dies (sockets closed); seqs 2-4 are committed; the relay is
 * evicted again after those pushes, so its ring is empty at seq 4 and a resume from 1 needs the root.
 */
async function leftAt1WhileRelayRestarts(key: string) {
  const a = await viewer("relayed", key);
  await hello(a);
  await root(key).dispatch("add", { by: 1 });
  await a.until((c) => lastSeq(c.frames) === 1);
  const before = shown(a).state!;
  await evictDurableObject(relay("relayed", key), { webSockets: "close" });
  await a.until((c) => c.closed !== undefined);
  for (let i = 2; i <= 4; i++) await root(key).dispatch("add", { by: 1 });
  await evictDurableObject(relay("relayed", key)).catch(() => undefined);
  return { before, epoch: (a.frames[0] as { epoch: string }).epoch };
}

describe("relays", () => {
  it("serves the same protocol as the component: render on hello, diff and ack on an action", async () => {
    const a = await viewer("relayed", "r-basic");
    const b = await viewer("relayed", "r-basic");
    await hello(a);
    await hello(b);
    expect(a.frames[0]).toMatchObject({ type: "render", seq: 0 });
    expect(await a.act("add", { by: 2 }, "act-1")).toEqual({ type: "ack", id: "act-1", seq: 1 });
    // The ack rides with the diff that shows it, as from the root.
    expect(a.frames.slice(-2).map((f) => f.type)).toEqual(["diff", "ack"]);
    await b.until((c) => c.of("diff").length === 1);
    expect(b.of("ack")).toHaveLength(0);
    expect(shown(b).html).toBe(await rootHtml("r-basic"));
    // Every socket is on the relay, none on the root.
    expect((await root("r-basic").stats()).sockets).toBe(0);
    expect(await relay("relayed", "r-basic").stats()).toMatchObject({ sockets: 2, viewers: 2, attached: true, head: { seq: 1 } });
    a.close();
    b.close();
  });

  it("keeps every viewer exactly in step when the relay is evicted mid-stream (sockets kept, ring lost)", async () => {
    const key = "r-evict";
    const a = await viewer("relayed", key);
    await hello(a);
    for (let i = 1; i <= 3; i++) await root(key).dispatch("add", { by: 1 });
    await a.until((c) => lastSeq(c.frames) === 3);
    await evictDurableObject(relay("relayed", key));
    for (let i = 4; i <= 6; i++) await root(key).dispatch("add", { by: 1 });
    await a.until((c) => lastSeq(c.frames) === 6);
    expect(shown(a).seqs).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(shown(a).html).toBe(await rootHtml(key));
    // The woken relay knew its head (persisted), so it needed no render from the root.
    expect((await relay("relayed", key).stats()).renderFetches).toBe(0);
    a.close();
  });

  it("resumes a viewer whose relay died (sockets closed) with since, on the relay's next incarnation", async () => {
    const key = "r-evict-close";
    const { before, epoch } = await leftAt1WhileRelayRestarts(key);
    const b = await viewer("relayed", key);
    // The browser sends its outbox right behind its hello: the action waits for the catch-up, it is not refused.
    b.send({ type: "hello", v: 1, since: before.seq, epoch, ...(before.rid ? { rid: before.rid } : {}) });
    b.send({ type: "action", id: "outbox-1", name: "add", args: { by: 1 } });
    await b.until((c) => c.frames.some((f) => f.type === "ack" && f.id === "outbox-1"));
    expect(b.of("error")).toEqual([]);
    expect(b.frames.find((f) => f.type === "ack")).toEqual({ type: "ack", id: "outbox-1", seq: 5 });
    expect(replay(b.frames, before).html).toBe(await rootHtml(key));
    expect(replay(b.frames, before).seqs.at(-1)).toBe(5);
    b.close();
  });

  it("parks a resumer whose fetch from the root failed (the root restarting) and serves it the missed frames as diffs after a backoff, no render", async () => {
    const key = "r-park";
    const { before, epoch } = await leftAt1WhileRelayRestarts(key);
    // The root fails its next range answers, as while it restarts (a fault in the fixture's own method, on its prototype).
    const restore = await runInDurableObject(root(key), (instance) => {
      const proto = Object.getPrototypeOf(instance) as { relayFrames: (...args: unknown[]) => unknown };
      const real = proto.relayFrames;
      let failures = 2;
      proto.relayFrames = function (this: unknown, ...args: unknown[]) {
        if (failures-- > 0) throw new Error("restarting");
        return real.apply(this, args);
      };
      return () => void (proto.relayFrames = real);
    });
    try {
      const b = await viewer("relayed", key);
      await hello(b, before.seq, { epoch, ...(before.rid ? { rid: before.rid } : {}) });
      await b.until((c) => c.of("diff").some((f) => f.seq === 4));
      expect(b.of("render")).toHaveLength(0);
      expect(b.of("diff").map((f) => [f.from, f.seq])).toEqual([[1, 2], [2, 3], [3, 4]]);
      expect(replay(b.frames, before).html).toBe(await rootHtml(key));
      // Two failed fetches, then the one that served it: no render asked for.
      expect(await relay("relayed", key).stats()).toMatchObject({ resumeFetches: 3, renderFetches: 0, parked: 0 });
      b.close();
    } finally {
      restore();
    }
  });

  it("keeps pushing to its relays after the root is evicted mid-stream", async () => {
    const key = "r-root-evict";
    const a = await viewer("relayed", key);
    await hello(a);
    await root(key).dispatch("add", { by: 1 });
    await a.until((c) => lastSeq(c.frames) === 1);
    await evictDurableObject(root(key));
    for (let i = 2; i <= 4; i++) await root(key).dispatch("add", { by: 1 });
    await a.until((c) => lastSeq(c.frames) === 4);
    expect(shown(a).seqs).toEqual([0, 1, 2, 3, 4]);
    expect(shown(a).html).toBe(await rootHtml(key));
    a.close();
  });

  it("resumes a viewer on a different relay than the one it left, with exactly the missed frames", async () => {
    const key = "r-other";
    // Capacity 3: the Worker fills relay 0, then opens relay 1.
    const first = [await viewer("relayed", key), await viewer("relayed", key), await viewer("relayed", key)];
    const fourth = await viewer("relayed", key);
    for (const c of [...first, fourth]) await hello(c);
    expect((await relay("relayed", key, 0).stats()).sockets).toBe(3);
    expect((await relay("relayed", key, 1).stats()).sockets).toBe(1);
    const x = first[0]!;
    await root(key).dispatch("add", { by: 1 });
    await x.until((c) => lastSeq(c.frames) === 1);
    const left = shown(x).state!;
    const epoch = (x.frames[0] as { epoch: string }).epoch;
    x.close();
    for (let i = 2; i <= 4; i++) await root(key).dispatch("add", { by: 1 });
    await fourth.until((c) => lastSeq(c.frames) === 4);
    const back = await viewer("relayed", key);
    await hello(back, left.seq, { epoch, ...(left.rid ? { rid: left.rid } : {}) });
    expect(back.of("render")).toHaveLength(0);
    expect(back.of("diff").map((f) => [f.from, f.seq])).toEqual([[1, 2], [2, 3], [3, 4]]);
    expect(replay(back.frames, left).html).toBe(await rootHtml(key));
    expect((await relay("relayed", key, 1).stats()).sockets).toBe(2);
    for (const c of [...first.slice(1), fourth, back]) c.close();
  });

  it("delivers duplicated, reordered and missing batches from the root once each, in order, with one range fetch", async () => {
    const key = "r-chaos";
    const a = await viewer("relayed", key);
    await hello(a);
    const name = relayName("relayed", key);
    // The root stops pushing: the test is the network now.
    await root(key).relayDetach(name);
    for (let i = 1; i <= 4; i++) await root(key).dispatch("add", { by: i });
    const frames: SeqFrame[] = await root(key).relayFrames(0);
    expect(frames.map((f) => [f.from, f.seq])).toEqual([[0, 1], [1, 2], [2, 3], [3, 4]]);
    const [f1, f2, f3, f4] = frames as [SeqFrame, SeqFrame, SeqFrame, SeqFrame];
    const r = relay("relayed", key);
    const fetchesBefore = (await r.stats()).rangeFetches;
    await r.push([f2, f2, f4]); // 1 and 3 lost, 2 twice, out of order
    await a.until((c) => lastSeq(c.frames) === 4);
    await r.push([f1, f3, f4, f1]); // the lost ones arrive late, with more duplicates
    await r.push([f2]);
    expect(shown(a).seqs).toEqual([0, 1, 2, 3, 4]);
    expect(shown(a).html).toBe(await rootHtml(key));
    expect((await r.stats()).rangeFetches - fetchesBefore).toBe(1);
    a.close();
  });

  it("resets viewers with the new epoch's render when the root's log is reset", async () => {
    const key = "r-epoch";
    const a = await viewer("relayed", key);
    await hello(a);
    await root(key).dispatch("add", { by: 5 });
    await a.until((c) => lastSeq(c.frames) === 1);
    const oldEpoch = (a.frames[0] as { epoch: string }).epoch;
    await runInDurableObject(root(key), (_o, state) => state.storage.deleteAll());
    await evictDurableObject(root(key));
    // The relay's heartbeat re-attaches and learns the new epoch from the root's answer.
    await runDurableObjectAlarm(relay("relayed", key));
    await a.until((c) => c.frames.some((f) => f.type === "render" && f.epoch !== oldEpoch));
    const render = a.frames.find((f) => f.type === "render" && f.epoch !== oldEpoch)!;
    expect(render).toMatchObject({ seq: 0 });
    await root(key).dispatch("add", { by: 2 });
    await a.until((c) => c.frames.at(-1)?.type === "diff" && (c.frames.at(-1) as { seq: number }).seq === 1);
    expect(replay(a.frames.slice(a.frames.indexOf(render))).html).toBe(await rootHtml(key));
    a.close();
  });

  it("refuses a socket past capacity with 4010, and the Worker routes the next one to another relay", async () => {
    const key = "r-full";
    const three = [await viewer("relayed", key), await viewer("relayed", key), await viewer("relayed", key)];
    const { res, client } = await connectRelay("relayed", key, 0);
    expect(res.status).toBe(101);
    expect(res.headers.get(RELAY_FULL_HEADER)).toBe("1");
    await client!.until((c) => c.closed !== undefined);
    expect(client!.closed!.code).toBe(CloseCodes.relayFull);
    const next = await viewer("relayed", key);
    await hello(next);
    expect((await relay("relayed", key, 1).stats()).sockets).toBe(1);
    for (const c of [...three, next]) c.close();
  });

  it("keeps the first sockets on the root and moves those past `above` to relays", async () => {
    const key = "r-above";
    const direct = [await viewer("relayed-above", key), await viewer("relayed-above", key)];
    const relayed = await viewer("relayed-above", key);
    for (const c of [...direct, relayed]) await hello(c);
    expect((await root(key).stats()).sockets).toBe(2);
    expect((await relay("relayed-above", key).stats()).sockets).toBe(1);
    await direct[0]!.act("add", { by: 3 });
    await relayed.until((c) => lastSeq(c.frames) === 1);
    expect(shown(relayed).html).toBe(shown(direct[1]!).html);
    for (const c of [...direct, relayed]) c.close();
  });

  it("runs a component configured for a jurisdiction locally, where workerd has none (the plain namespace, as hints degrade)", async () => {
    const key = "r-eu";
    const a = await viewer("relayed-eu", key);
    await hello(a);
    await a.act("add", { by: 4 });
    expect(() => cluster.LAB.jurisdiction("eu")).toThrow(/not implemented in workerd/);
    expect((await root(key).stats()).seq).toBe(1);
    expect(await cluster.STRATUS_RELAY.getByName(relayName("relayed-eu", key)).stats()).toMatchObject({ sockets: 1, attached: true });
    expect((await cluster.STRATUS_REGISTRY.getByName(registryName("relayed-eu", key)).routes("relayed-eu", key)).relays).toHaveLength(1);
    a.close();
  });

  it("answers a request that did not come through the Worker with a problem, not a socket", async () => {
    const r = cluster.STRATUS_RELAY.getByName("stray");
    const plain = await r.fetch("https://relay/");
    expect(plain.status).toBe(426);
    expect(plain.headers.get("content-type")).toContain("application/problem+json");
    const bare = await r.fetch("https://relay/", { headers: { upgrade: "websocket" } });
    expect(bare.status).toBe(400);
    expect(bare.webSocket).toBeNull();
    expect(((await bare.json()) as { detail: string }).detail).toContain("/live route");
  });
});

describe("presence across relays", () => {
  it("the root counts a relay's viewers from its batched reports: joins and leaves converge, one report per window", async () => {
    const key = "r-watching";
    const a = await viewer("relayed", key);
    const b = await viewer("relayed", key);
    await hello(a);
    await hello(b);
    // The fixture's heartbeat window is 1 s: the viewers that stay ping, as a browser does.
    const open = new Set([a, b]);
    const watching = async () => {
      for (const c of open) c.send({ type: "ping" });
      return (await root(key).stats()).watching;
    };
    await expect.poll(watching, { timeout: 5000, interval: 100 }).toBe(2);
    open.delete(b);
    b.close();
    await expect.poll(watching, { timeout: 5000, interval: 100 }).toBe(1);
    open.delete(a);
    a.close();
    await expect.poll(watching, { timeout: 5000, interval: 100 }).toBe(0);
  });

  it("a relay answers a bound-field (model) frame with an error: viewer state is served by the component's own object", async () => {
    const a = await viewer("relayed", "r-model");
    await hello(a);
    a.send({ type: "model", id: "m-1", fields: { draft: "x" } });
    await a.until((c) => c.of("error").length === 1);
    expect(a.of("error")[0]).toMatchObject({ id: "m-1", code: "unknown_type" });
    // The socket stays usable.
    expect(await a.act("add", { by: 1 }, "after-model")).toMatchObject({ type: "ack", id: "after-model" });
    a.close();
  });
});
