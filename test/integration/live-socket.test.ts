import { abortAllDurableObjects, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { ServerFrame } from "../../durable-objects/realtime/protocol";
import type { Lab, SlowLab } from "../fixtures/lab";
import { Client, connectDirect, connectViaWorker, hello, labs } from "../support/live";
import { replay } from "../support/replay";

async function action(c: Client, id: string, name: string, args: unknown): Promise<ServerFrame> {
  c.send({ type: "action", id, name, args });
  await c.until((x) => x.frames.some((f) => (f.type === "ack" || f.type === "error") && f.id === id));
  return c.frames.find((f) => (f.type === "ack" || f.type === "error") && f.id === id)!;
}

describe("live sockets", () => {
  it("renders on hello, then diffs each action, every frame carrying its seq", async () => {
    const res = await connectViaWorker("counter", "sock-1");
    expect(res.status).toBe(101);
    const c = new Client(res.webSocket!);
    await hello(c);
    expect(c.frames[0]).toMatchObject({ type: "render", seq: 0 });
    expect(await action(c, "a1", "increment", { by: 2 })).toEqual({ type: "ack", id: "a1", seq: 1 });
    await action(c, "a2", "increment", { by: 3 });
    await c.until((x) => x.of("diff").length === 2);
    const view = replay(c.frames);
    expect(view.html).toBe('<button data-action="increment" data-by="1">5</button>');
    expect(view.seqs).toEqual([0, 1, 2]);
    expect(c.of("diff")[0]).toMatchObject({ from: 0, seq: 1 });
    c.close();
  });

  it("sends the acting socket its diff and ack in one message, others the diff alone", async () => {
    const actor = new Client((await connectViaWorker("counter", "sock-ack")).webSocket!);
    const watcher = new Client((await connectViaWorker("counter", "sock-ack")).webSocket!);
    await hello(actor);
    await hello(watcher);
    const before = { actor: actor.messages, watcher: watcher.messages };
    await action(actor, "one-send", "increment", { by: 1 });
    await watcher.until((x) => x.of("diff").length === 1);
    expect(actor.messages - before.actor).toBe(1);
    expect(actor.frames.slice(-2).map((f) => f.type)).toEqual(["diff", "ack"]);
    expect(watcher.of("ack")).toHaveLength(0);
    expect(watcher.messages - before.watcher).toBeGreaterThanOrEqual(1);
    actor.close();
    watcher.close();
  });

  it("resumes from since=k with exactly the missed diffs, in order, none twice", async () => {
    const a = await connectDirect(labs.LAB, "resume-1");
    await hello(a);
    for (let i = 1; i <= 2; i++) await action(a, `r${i}`, "item", { text: `i${i}` });
    await a.until((x) => x.of("diff").length === 2);
    const seenByA = replay(a.frames);
    const k = seenByA.state!.seq;
    expect(k).toBe(2);
    a.close();
    // Updates while the client is away (by another caller, over RPC).
    for (let i = 3; i <= 5; i++) expect(await labs.LAB.getByName("resume-1").dispatch("item", { text: `i${i}` })).toMatchObject({ ok: true, seq: i });
    const b = await connectDirect(labs.LAB, "resume-1");
    await hello(b, k);
    expect(b.of("render")).toHaveLength(0);
    const missed = b.of("diff");
    expect(missed.map((f) => [f.from, f.seq])).toEqual([[2, 3], [3, 4], [4, 5]]);
    const view = replay(b.frames, seenByA.state);
    expect(view.html).toBe(replay([(await labs.LAB.getByName("resume-1").currentRender())]).html);
    expect(view.html).toContain("<li>i5</li>");
    b.close();
  });

  it("gives one full render at the current seq when the gap is larger than the buffer", async () => {
    const stub = labs.LAB.getByName("resume-2");
    const a = await connectDirect(labs.LAB, "resume-2");
    await hello(a);
    await action(a, "x1", "add", { by: 1 });
    a.close();
    // Lab keeps 4 frames: 6 more updates push seq 1's successor out.
    for (let i = 0; i < 6; i++) await stub.dispatch("add", { by: 1 });
    const b = await connectDirect(labs.LAB, "resume-2");
    await hello(b, 1);
    expect(b.of("diff")).toHaveLength(0);
    expect(b.of("render")).toHaveLength(1);
    expect(b.of("render")[0]!.seq).toBe(7);
    expect(replay(b.frames).html).toContain("<p>7</p>");
    // A seq from the future (another lifetime) also gets a full render.
    const c = await connectDirect(labs.LAB, "resume-2");
    await hello(c, 99);
    expect(c.of("render").map((f) => f.seq)).toEqual([7]);
    b.close();
    c.close();
  });

  it("resumes across an eviction: the diff buffer is persisted", async () => {
    const stub = labs.LAB.getByName("resume-3");
    const a = await connectDirect(labs.LAB, "resume-3");
    await hello(a);
    await action(a, "e1", "add", { by: 1 });
    await a.until((x) => x.of("diff").length === 1);
    a.close();
    await stub.dispatch("add", { by: 1 });
    await abortAllDurableObjects();
    const b = await connectDirect(labs.LAB, "resume-3");
    await hello(b, 1);
    expect(b.of("diff").map((f) => [f.from, f.seq])).toEqual([[1, 2]]);
    b.close();
  });

  it("applies a retried action id once and acks it again with the original seq", async () => {
    // The same client (its hello's client id) across a reconnect: one scope for its ids.
    const client = `client-${crypto.randomUUID()}`;
    const a = await connectDirect(labs.LAB, "idem-1");
    await hello(a, undefined, client);
    expect(await action(a, "same", "add", { by: 5 })).toEqual({ type: "ack", id: "same", seq: 1 });
    a.close();
    const b = await connectDirect(labs.LAB, "idem-1");
    await hello(b, 1, client);
    expect(await action(b, "same", "add", { by: 5 })).toEqual({ type: "ack", id: "same", seq: 1 });
    // Over RPC with the same key too, and concurrently.
    const stub = labs.LAB.getByName("idem-1");
    const [r1, r2] = await Promise.all([stub.dispatch("add", { by: 1 }, {}, "k2"), stub.dispatch("add", { by: 1 }, {}, "k2")]);
    expect([r1, r2].map((r) => r.ok && r.seq)).toEqual([2, 2]);
    expect([r1, r2].filter((r) => r.ok && r.duplicate)).toHaveLength(1);
    expect(await stub.dispatch("add", { by: 1 }, {}, "k2")).toEqual({ ok: true, seq: 2, duplicate: true });
    // RPC ids live in their own scope: a socket's "same" does not pre-empt the Worker's "same".
    expect(await stub.dispatch("add", { by: 1 }, {}, "same")).toEqual({ ok: true, seq: 3, duplicate: false });
    const stats = await stub.stats();
    expect(stats.seq).toBe(3);
    expect(replay([await stub.currentRender()]).html).toContain("<p>7</p>");
    b.close();
  });

  it("two clients racing actions see the same final state and seq", async () => {
    const a = await connectDirect(labs.LAB, "race-1");
    const b = await connectDirect(labs.LAB, "race-1");
    await hello(a);
    await hello(b);
    for (let i = 0; i < 20; i++) {
      a.send({ type: "action", id: `a${i}`, name: "item", args: { text: `a${i}` } });
      b.send({ type: "action", id: `b${i}`, name: "item", args: { text: `b${i}` } });
    }
    await a.until((x) => x.of("ack").length === 20);
    await b.until((x) => x.of("ack").length === 20);
    const done = (x: Client) => x.of("diff").at(-1)?.seq === 40;
    await a.until(done);
    await b.until(done);
    const va = replay(a.frames);
    const vb = replay(b.frames);
    expect(va.state!.seq).toBe(40);
    expect(vb.state!.seq).toBe(40);
    expect(va.html).toBe(vb.html);
    expect(va.html.match(/<li>/g)).toHaveLength(40);
    const acks = [...a.of("ack"), ...b.of("ack")].map((f) => f.seq).sort((x, y) => x - y);
    expect(acks).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    a.close();
    b.close();
  });

  it("coalesces commits inside one flush window into one frame per socket", async () => {
    const stub = labs.SLOW_LAB.getByName("burst-1");
    const a = await connectDirect(labs.SLOW_LAB, "burst-1");
    const b = await connectDirect(labs.SLOW_LAB, "burst-1");
    await hello(a);
    await hello(b);
    // All in one turn of the object, where workerd's clock stands still: however slow the machine,
    // the 25 commits fall inside the 300 ms window the first one opened (no wall-clock race).
    await runInDurableObject(stub, async (i: SlowLab) => {
      // The first update after a quiet period goes out at once...
      await i.dispatch("add", { by: 1 });
      // ...and the ones inside its window share one frame at the window's end.
      // One after another: without the window each would flush on its own microtask.
      for (let k = 0; k < 25; k++) await i.dispatch("add", { by: 1 });
    });
    for (const c of [a, b]) await c.until((x) => replay(x.frames).state?.seq === 26);
    for (const c of [a, b]) {
      expect(c.of("diff").map((f) => [f.from, f.seq])).toEqual([[0, 1], [1, 26]]);
      expect(replay(c.frames).html).toContain("<p>26</p>");
    }
    // One send per flush, shared by both sockets.
    expect((await stub.stats()).framesSent).toBe(2);
    a.close();
    b.close();
  });
});

describe("fan-out under load", () => {
  it("commits that queue behind a large send loop share the next frame", async () => {
    const stub = labs.LAB.getByName("backlog-1");
    // The root's own send loop: relays get each frame as the root sends it, so this is a root-only mechanic.
    const clients = await Promise.all(Array.from({ length: 120 }, () => connectDirect(labs.LAB, "backlog-1", undefined, { root: true })));
    await Promise.all(clients.map((c) => hello(c)));
    // Lab has no flush window (flushMs 0): only the backlog rule can coalesce. The 30 commits land in
    // the same turn as the first frame's send loop to 120 sockets, i.e. queued behind it, by construction.
    await runInDurableObject(stub, async (i: Lab) => {
      await i.dispatch("add", { by: 1 });
      // One after another: without the backlog rule each would flush on its own microtask.
      for (let k = 0; k < 30; k++) await i.dispatch("add", { by: 1 });
    });
    await Promise.all(clients.map((c) => c.until((x) => replay(x.frames).state?.seq === 31)));
    for (const c of clients) {
      expect(c.of("diff").map((f) => [f.from, f.seq])).toEqual([[0, 1], [1, 31]]);
      expect(replay(c.frames).html).toContain("<p>31</p>");
      c.close();
    }
    expect((await stub.stats()).framesSent).toBe(2);
  });
});

describe("output gate: what a client sees was committed first", () => {
  it("a failed commit sends no update, only an error, and changes nothing", async () => {
    const c = await connectDirect(labs.LAB, "gate-1");
    await hello(c);
    await action(c, "ok1", "add", { by: 1 });
    const r = await action(c, "bad", "poison", {});
    expect(r).toMatchObject({ type: "error", id: "bad", code: "action_failed" });
    await action(c, "ok2", "add", { by: 1 });
    await c.until((x) => x.of("diff").length === 2);
    expect(c.of("diff").map((f) => f.seq)).toEqual([1, 2]);
    const stub = labs.LAB.getByName("gate-1");
    expect((await stub.stats()).seq).toBe(2);
    expect(await stub.stateAt(2)).toMatchObject({ seq: 2, state: { total: 2 } });
    c.close();
  });

  /** Throws unless every state the client was shown is still there after the object is killed. */
  async function shownSurvivesKill(ns: DurableObjectNamespace<Lab>, key: string): Promise<void> {
    const c = await connectDirect(ns, key);
    await hello(c);
    for (let i = 0; i < 10; i++) c.send({ type: "action", id: `g${i}`, name: "add", args: { by: 1 } });
    await c.until((x) => x.of("diff").length > 0);
    const seen = replay(c.frames);
    expect(seen.html).toContain(`<p>${seen.state!.seq}</p>`);
    await abortAllDurableObjects();
    const stub = ns.getByName(key);
    expect((await stub.stats()).seq).toBeGreaterThanOrEqual(seen.state!.seq);
    expect((await stub.stateAt(seen.state!.seq)).state.total).toBe(seen.state!.seq);
  }

  it("every update a client received survives the object being killed right after", async () => {
    await shownSurvivesKill(labs.LAB, "gate-2");
  });

  it("that check fails for a component whose frames leave before its commits are durable", async () => {
    // UngatedLab drops its state writes but still sends: after the kill the shown seq is gone.
    await expect(shownSurvivesKill(labs.UNGATED_LAB, "gate-3")).rejects.toThrow(/expected 0 to be greater than or equal to/);
  });
});
