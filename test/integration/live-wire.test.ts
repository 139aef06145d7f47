import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import type { RenderFrame } from "../../durable-objects/realtime/protocol";
import { toHtml } from "../../worker/templating/rendered";
import { wire } from "../fixtures/wire-lab";
import { Client, connectDirect, deploy, hello, labs } from "../support/live";
import { replay } from "../support/replay";

const ns = () => labs.WIRE_LAB;
const htmlOf = (f: RenderFrame) => toHtml(f.dynamics, f.statics);

/** Sends an action and waits for its ack (and, when `error` is given, an error frame with that code too). */
async function act(c: Client, id: string, name: string, args: unknown, error?: string): Promise<void> {
  c.send({ type: "action", id, name, args });
  await c.until((x) => x.frames.some((f) => (f.type === "ack" || f.type === "error") && f.id === id));
  if (error) await c.until((x) => x.of("error").some((f) => f.id === id && f.code === error));
}

afterEach(() => {
  wire.v2 = false;
});

describe("a render that throws", () => {
  it("keeps the last good render, tells the actor render_failed with its ack, and keeps committing", async () => {
    const stub = ns().getByName("render-throws");
    const actor = await connectDirect(ns(), "render-throws");
    const watcher = await connectDirect(ns(), "render-throws");
    await hello(actor);
    await hello(watcher);
    await act(actor, "a1", "add", { by: 1 });
    await act(actor, "b1", "break", { broken: true }, "render_failed");
    // The commit stands: acked with its seq, then the error naming it.
    expect(actor.frames.filter((f) => "id" in f && f.id === "b1")).toEqual([
      { type: "ack", id: "b1", seq: 2 },
      { type: "error", id: "b1", code: "render_failed", message: expect.any(String) },
    ]);
    await act(actor, "a2", "add", { by: 1 }, "render_failed");
    expect(actor.of("ack").find((a) => a.id === "a2")!.seq).toBe(3);
    // Pages get the last good render.
    const page = await stub.currentRender();
    expect(page.seq).toBe(1);
    expect(htmlOf(page)).toContain("<p>1</p>");
    expect(watcher.of("error")).toEqual([]);

    // Woken with a state whose render throws: no baseline, yet commits go on, the fix included.
    await evictDurableObject(stub);
    expect(await stub.dispatch("add", { by: 1 })).toMatchObject({ ok: true, seq: 4 });
    // The woken root has no good render to give; a relay still holding the last good one would serve that.
    const late = await connectDirect(ns(), "render-throws", undefined, { root: true });
    await hello(late);
    expect(late.of("error")).toMatchObject([{ code: "render_failed" }]);
    expect(late.of("render")).toEqual([]);
    expect(await stub.dispatch("break", { broken: false })).toMatchObject({ ok: true, seq: 5 });
    // The first good render reaches every ready socket whole.
    for (const c of [late, actor, watcher]) await c.until((x) => replay(x.frames).state?.seq === 5);
    for (const c of [late, actor, watcher]) expect(replay(c.frames).html).toContain("<p>3</p>");
    expect(htmlOf(await stub.currentRender())).toContain("<p>3</p>");
    for (const c of [actor, watcher, late]) c.close();
  });

  it("a later commit that renders again diffs from the last good render", async () => {
    const stub = ns().getByName("render-throws-2");
    const c = await connectDirect(ns(), "render-throws-2");
    await hello(c);
    await act(c, "x1", "add", { by: 5 });
    await act(c, "x2", "break", { broken: true }, "render_failed");
    await act(c, "x3", "add", { by: 1 }, "render_failed");
    await act(c, "x4", "break", { broken: false });
    await c.until((x) => x.of("diff").some((d) => d.seq === 4));
    expect(c.of("diff").map((d) => [d.from, d.seq])).toEqual([[0, 1], [1, 4]]);
    expect(replay(c.frames).html).toContain("<p>6</p>");
    expect(replay(c.frames).html).toBe(htmlOf(await stub.currentRender()));
    c.close();
  });
});

describe("the resume buffer measures bytes", () => {
  it("a large non-ASCII diff breaks the chain instead of the flush", async () => {
    const stub = ns().getByName("wide-1");
    expect(await stub.dispatch("add", { by: 1 })).toMatchObject({ ok: true, seq: 1 });
    // 80,000 × "漢字😀": 320k UTF-16 units, 800 kB of UTF-8; shown three times, the diff is 2.4 MB.
    expect(await stub.dispatch("wide", { repeat: 80_000 })).toMatchObject({ ok: true, seq: 2 });
    expect(await stub.dispatch("add", { by: 1 })).toMatchObject({ ok: true, seq: 3 });
    const page = await stub.currentRender();
    expect(page.seq).toBe(3);
    expect(htmlOf(page)).toContain("<p>2</p>");
    expect(htmlOf(page)).toContain("漢字😀漢字😀");
    expect(await stub.dispatch("wide", { repeat: 0 })).toMatchObject({ ok: true, seq: 4 });
    // A client from before the big frame cannot be served diffs: one full render instead.
    const c = await connectDirect(ns(), "wide-1");
    await hello(c, 1);
    expect(c.of("render").map((f) => f.seq)).toEqual([4]);
    expect(c.of("diff")).toEqual([]);
    // The chain goes on after it: a client at 3 gets the one diff.
    const d = await connectDirect(ns(), "wide-1");
    await hello(d, 3);
    expect(d.of("diff").map((f) => [f.from, f.seq])).toEqual([[3, 4]]);
    c.close();
    d.close();
  });
  it("a failed buffer write (SQLite refusing the row) breaks the chain, never the flush", async () => {
    const stub = ns().getByName("wide-2");
    await stub.dispatch("add", { by: 1 });
    // A real SQLite error on the buffer's INSERT, as a row past the 2 MB limit raises in production.
    await runInDurableObject(stub, (_i, state) => {
      state.storage.sql.exec("CREATE TRIGGER refuse_frames BEFORE INSERT ON _stratus_resume BEGIN SELECT RAISE(ABORT, 'row too big'); END");
    });
    expect(await stub.dispatch("add", { by: 1 })).toMatchObject({ ok: true, seq: 2 });
    expect(await stub.dispatch("add", { by: 1 })).toMatchObject({ ok: true, seq: 3 });
    expect(htmlOf(await stub.currentRender())).toContain("<p>3</p>");
    await runInDurableObject(stub, (_i, state) => void state.storage.sql.exec("DROP TRIGGER refuse_frames"));
    const c = await connectDirect(ns(), "wide-2");
    await hello(c, 1);
    expect(c.of("render").map((f) => f.seq)).toEqual([3]);
    await act(c, "w1", "add", { by: 1 });
    await c.until((x) => x.of("diff").length === 1);
    expect(replay(c.frames).html).toContain("<p>4</p>");
    c.close();
  });
});

describe("epoch and render identity", () => {
  it("every render and diff carries the log's epoch (stable across evictions) and its rid", async () => {
    const stub = ns().getByName("epoch-1");
    const c = await connectDirect(ns(), "epoch-1");
    await hello(c);
    await act(c, "e1", "add", { by: 1 });
    await c.until((x) => x.of("diff").length === 1);
    const render = c.of("render")[0]!;
    const diff = c.of("diff")[0]!;
    expect(render.epoch).toMatch(/^[0-9a-f]{16}$/);
    expect(diff.epoch).toBe(render.epoch);
    expect(render.rid).toMatch(/^[0-9a-z]+$/);
    // Same templates: the rid is the same.
    expect(diff.rid).toBe(render.rid);
    c.close();
    await evictDurableObject(stub);
    expect((await stub.currentRender()).epoch).toBe(render.epoch);
    // A reset log (all storage gone) is a new epoch.
    await runInDurableObject(stub, (_i, state) => state.storage.deleteAll());
    await evictDurableObject(stub);
    const reset = await stub.currentRender();
    expect(reset.seq).toBe(0);
    expect(reset.epoch).not.toBe(render.epoch);
  });

  it("hello at the current seq with another rid or another epoch gets a full render", async () => {
    const stub = ns().getByName("epoch-2");
    await stub.dispatch("add", { by: 1 });
    const { seq, epoch, rid } = await stub.currentRender();
    const cases: [{ epoch?: string; rid?: string }, number][] = [
      [{ epoch, rid }, 0],
      [{}, 0],
      [{ epoch, rid: "other" }, 1],
      [{ epoch: "other", rid }, 1],
    ];
    for (const [shows, renders] of cases) {
      const c = await connectDirect(ns(), "epoch-2");
      await hello(c, seq, shows);
      expect(c.of("render").length, JSON.stringify(shows)).toBe(renders);
      c.close();
    }
    // Behind the current seq: another epoch's seqs are not links of this chain, nor are another rid's.
    await stub.dispatch("add", { by: 1 });
    for (const [shows, renders] of [[{ epoch, rid }, 0], [{ epoch: "other", rid }, 1], [{ epoch, rid: "other" }, 1]] as const) {
      const c = await connectDirect(ns(), "epoch-2");
      await hello(c, seq, shows);
      expect(c.of("render").length, JSON.stringify(shows)).toBe(renders);
      expect(c.of("diff").length).toBe(1 - renders);
      c.close();
    }
  });

  it("a resume buffer spanning a template change (a deploy) is not served", async () => {
    const stub = ns().getByName("deploy-1");
    const a = await connectDirect(ns(), "deploy-1");
    await hello(a);
    await act(a, "d1", "add", { by: 1 });
    await a.until((x) => x.of("diff").length === 1);
    const shown = replay(a.frames).state!;
    a.close();
    await stub.dispatch("add", { by: 1 });
    // New code: the same state renders with other templates.
    wire.v2 = true;
    await deploy(ns(), "deploy-1");
    for (const shows of [{ epoch: a.of("render")[0]!.epoch, rid: shown.rid! }, {}]) {
      const b = await connectDirect(ns(), "deploy-1");
      await hello(b, shown.seq, shows);
      expect(b.of("diff")).toEqual([]);
      const [render] = b.of("render");
      expect(render).toMatchObject({ seq: 2 });
      expect(render!.rid).not.toBe(shown.rid);
      expect(htmlOf(render!)).toContain("<article><b>2</b>");
      b.close();
    }
    // Diffs made by the new code serve resumes again.
    const c = await connectDirect(ns(), "deploy-1");
    await hello(c);
    await act(c, "d2", "add", { by: 1 });
    await c.until((x) => x.of("diff").length === 1);
    c.close();
    const d = await connectDirect(ns(), "deploy-1");
    await hello(d, 2, { rid: c.of("render")[0]!.rid });
    expect(d.of("diff").map((f) => [f.from, f.seq])).toEqual([[2, 3]]);
    d.close();
  });
});
