import { evictDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { DiffFrame } from "../../durable-objects/realtime/protocol";
import { toHtml } from "../../worker/templating/rendered";
import { connectDirect, hello, labs, type Client } from "../support/live";
import { replay } from "../support/replay";

const ns = () => labs.VIEWER_LAB;
const CLIENT_A = "client-a-0123456789";
const CLIENT_B = "client-b-0123456789";

const tabOf = (c: Client) => /<nav class="([^"]*)"><b>([^<]*)<\/b><i>(\d+)<\/i>/.exec(replay(c.frames).html);
async function answered(c: Client, id: string): Promise<void> {
  await c.until((x) => x.frames.some((f) => (f.type === "ack" || f.type === "error") && "id" in f && f.id === id));
}
const diffs = (c: Client) => c.of("diff") as DiffFrame[];

describe("viewer state", () => {
  it("changes one viewer's slots only, with a viewer-only diff (seq === from), never broadcast", async () => {
    const a = await connectDirect(ns(), "v1");
    const b = await connectDirect(ns(), "v1");
    await hello(a, undefined, CLIENT_A);
    await hello(b, undefined, CLIENT_B);
    a.send({ type: "action", id: "t1", name: "tab", args: { tab: "settings" } });
    await answered(a, "t1");
    expect(a.of("ack").find((f) => f.id === "t1")!.seq).toBe(0);
    const own = diffs(a);
    expect(own).toHaveLength(1);
    expect(own[0]).toMatchObject({ seq: 0, from: 0 });
    expect(tabOf(a)!.slice(1)).toEqual(["settings", "settings", "0"]);
    // b received nothing for it: no diff at all.
    await b.act("add", { by: 0 }, "noop-b");
    expect(diffs(b)).toEqual([]);
    expect(tabOf(b)!.slice(1)).toEqual(["home", "home", "0"]);
    // The page render is the initial viewer's.
    expect(toHtml((await ns().getByName("v1").currentRender()).dynamics, (await ns().getByName("v1").currentRender()).statics)).toContain('<nav class="home">');
    a.close();
    b.close();
  });

  it("a shared commit reaches each socket with its own slot values, rendered per socket", async () => {
    const a = await connectDirect(ns(), "v2");
    const b = await connectDirect(ns(), "v2");
    const c = await connectDirect(ns(), "v2");
    await hello(a, undefined, CLIENT_A);
    await hello(b, undefined, CLIENT_B);
    await hello(c, undefined, "client-c-0123456789");
    await a.act("tab", { tab: "alpha" }, "ta");
    await b.act("tab", { tab: "beta" }, "tb");
    await c.act("add", { by: 2 }, "c1");
    for (const x of [a, b, c]) await x.until((y) => replay(y.frames).state?.seq === 1);
    expect(tabOf(a)!.slice(1)).toEqual(["alpha", "alpha", "2"]);
    expect(tabOf(b)!.slice(1)).toEqual(["beta", "beta", "2"]);
    expect(tabOf(c)!.slice(1)).toEqual(["home", "home", "2"]);
    // One diff per socket from the previous seq, with that socket's slot changes in it.
    for (const x of [a, b, c]) expect(diffs(x).filter((d) => d.seq === 1).map((d) => d.from)).toEqual([0]);
    // A commit that changes the viewer and the shared state travels as one diff.
    await a.act("tabAndAdd", { tab: "gamma" }, "tg");
    await b.until((y) => replay(y.frames).state?.seq === 2);
    expect(diffs(a).filter((d) => d.seq === 2)).toHaveLength(1);
    expect(tabOf(a)!.slice(1)).toEqual(["gamma", "gamma", "3"]);
    expect(tabOf(b)!.slice(1)).toEqual(["beta", "beta", "3"]);
    for (const x of [a, b, c]) x.close();
  });

  it("slots inside keyed list items follow their item through moves and inserts", async () => {
    const a = await connectDirect(ns(), "v3");
    await hello(a, undefined, CLIENT_A);
    const stub = ns().getByName("v3");
    const b = await connectDirect(ns(), "v3");
    await hello(b, undefined, CLIENT_B);
    await a.act("tab", { tab: "one" }, "t1");
    for (const t of ["two", "one", "three", "one"]) await b.act("save", { title: t, qty: 1 }, `s-${t}-${Math.random()}`);
    await a.until((y) => replay(y.frames).state?.seq === 4);
    // Duplicate keys included: each item's slot is its own.
    expect(replay(a.frames).html).toContain("<ul><li>two</li><li>one*</li><li>three</li><li>one*</li></ul>");
    expect(replay(b.frames).html).toContain("<ul><li>two</li><li>one</li><li>three</li><li>one</li></ul>");
    expect(replay(a.frames).html).toBe(toHtml(replay(a.frames).state!.root, replay(a.frames).state!.statics));
    void stub;
    a.close();
    b.close();
  });

  it("is kept through a reconnect with the same client id and through eviction, by connection", async () => {
    const a = await connectDirect(ns(), "v4");
    await hello(a, undefined, CLIENT_A);
    await a.act("tab", { tab: "kept" }, "k1");
    a.close();
    await evictDurableObject(ns().getByName("v4"));
    const again = await connectDirect(ns(), "v4");
    await hello(again, 0, CLIENT_A);
    // It shows seq 0 already (since 0): the viewer's slots follow as a viewer-only diff.
    expect(again.of("render")).toEqual([]);
    expect(replay(again.frames, { seq: 0, root: (await ns().getByName("v4").currentRender()).dynamics, statics: (await ns().getByName("v4").currentRender()).statics }).html).toContain('<nav class="kept"><b>kept</b>');
    // Another page (another client id) starts from the initial viewer.
    const other = await connectDirect(ns(), "v4");
    await hello(other, undefined, "client-other-0123456");
    expect(tabOf(other)!.slice(1)).toEqual(["home", "home", "0"]);
    // A fresh socket with the same client id and no since gets a full render with its own slots.
    const third = await connectDirect(ns(), "v4");
    await hello(third, undefined, CLIENT_A);
    expect(third.of("render")).toHaveLength(1);
    expect(tabOf(third)!.slice(1)).toEqual(["kept", "kept", "0"]);
    again.close();
    other.close();
    third.close();
  });

  it("user scope shares one viewer across a user's sockets and no one else's", async () => {
    const u = labs.USER_VIEWER_LAB;
    const tab1 = await connectDirect(u, "u1", "ann");
    const tab2 = await connectDirect(u, "u1", "ann");
    const bob = await connectDirect(u, "u1", "bob");
    for (const [c, id] of [[tab1, CLIENT_A], [tab2, CLIENT_B], [bob, "client-bob-012345678"]] as const) await hello(c, undefined, id);
    await tab1.act("tab", { tab: "shared" }, "s1");
    await tab2.until((c) => tabOf(c)?.[1] === "shared");
    expect(diffs(tab2).at(-1)).toMatchObject({ seq: 0, from: 0 });
    expect(tabOf(bob)!.slice(1)).toEqual(["home", "home", "0"]);
    for (const c of [tab1, tab2, bob]) c.close();
  });

  it("a retried action id changes the viewer once; a failed action changes nothing and sends no effect", async () => {
    const a = await connectDirect(ns(), "v5");
    await hello(a, undefined, CLIENT_A);
    await a.act("note", { text: "x" }, "n1");
    a.send({ type: "action", id: "n1", name: "note", args: { text: "x" } });
    await a.until((c) => c.of("ack").filter((f) => f.id === "n1").length === 2);
    await a.act("note", { text: "y" }, "n2");
    expect(replay(a.frames).html).toContain("<em>xy</em>");
    const failed = await a.act("stageThenFail", {}, "f1");
    expect(failed).toMatchObject({ type: "error", code: "action_failed", message: "refused after staging" });
    expect(a.of("effect")).toEqual([]);
    expect(tabOf(a)![1]).toBe("home");
    a.close();
  });

  it("refuses viewer state past maxViewerBytes: the action fails, nothing is committed or stored", async () => {
    const a = await connectDirect(ns(), "v6");
    await hello(a, undefined, CLIENT_A);
    const r = await a.act("note", { text: "z".repeat(3000) }, "big");
    expect(r).toMatchObject({ type: "error", code: "action_failed", message: expect.stringContaining("2048 bytes") });
    expect(replay(a.frames).html).toContain("<em></em>");
    // The object lives on.
    expect(await a.act("note", { text: "ok" }, "small")).toMatchObject({ type: "ack" });
    expect(replay(a.frames).html).toContain("<em>ok</em>");
    a.close();
  });
});
