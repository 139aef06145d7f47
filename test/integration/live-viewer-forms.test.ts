import { describe, expect, it } from "vitest";
import type { ErrorFrame } from "../../durable-objects/realtime/protocol";
import { connectDirect, hello, labs, type Client } from "../support/live";
import { replay } from "../support/replay";

const ns = () => labs.VIEWER_LAB;
const html = (c: Client) => replay(c.frames).html;
const answer = async (c: Client, id: string) => {
  await c.until((x) => x.frames.some((f) => (f.type === "ack" || f.type === "error") && "id" in f && f.id === id));
  return c.frames.find((f) => (f.type === "ack" || f.type === "error") && "id" in f && f.id === id)!;
};
async function open(key: string, client = "client-forms-0123456789"): Promise<Client> {
  const c = await connectDirect(ns(), key);
  await hello(c, undefined, client);
  return c;
}

describe("model frames", () => {
  it("store bound fields for the sending viewer only and ack with the current shared seq", async () => {
    const a = await open("m1");
    const b = await open("m1", "client-other-0123456789");
    await a.act("add", { by: 1 }, "seq1");
    a.send({ type: "model", id: "m-1", fields: { title: 'Hi "you" <3' } });
    expect(await answer(a, "m-1")).toEqual({ type: "ack", id: "m-1", seq: 1 });
    expect(html(a)).toContain('value="Hi &quot;you&quot; &lt;3"');
    expect(html(b)).toContain('<input name="title" value="">');
    expect(b.of("diff").filter((d) => d.seq === d.from)).toEqual([]);
    a.close();
    b.close();
  });

  it("validate: errors of the fields sent come back as invalid_args issues and are rendered, then clear", async () => {
    const a = await open("m2");
    a.send({ type: "model", id: "v1", fields: { title: "ab" }, validate: true });
    const bad = (await answer(a, "v1")) as ErrorFrame;
    expect(bad).toMatchObject({ type: "error", code: "invalid_args", issues: [{ path: "/title", message: "At least 3 characters" }] });
    // qty was not sent yet: its error is not shown.
    expect(html(a)).toContain('<span class="err">At least 3 characters</span><span class="err-qty"></span>');
    expect(html(a)).toContain('value="ab"');
    a.send({ type: "model", id: "v2", fields: { title: "abc" }, validate: true });
    expect(await answer(a, "v2")).toMatchObject({ type: "ack" });
    expect(html(a)).toContain('<span class="err"></span>');
    a.close();
  });

  it("bad model frames get bad_frame and store nothing; an oversized record gets invalid_args", async () => {
    const a = await open("m3");
    const cases: [unknown, string][] = [
      [{ type: "model", fields: { title: "x" } }, "id"],
      [{ type: "model", id: "b1", fields: ["title"] }, "object"],
      [{ type: "model", id: "b2", fields: {} }, "1 to 100"],
      [{ type: "model", id: "b3", fields: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`f${i}`, 1])) }, "1 to 100"],
      [{ type: "model", id: "b4", fields: { ["x".repeat(129)]: 1 } }, "names"],
      [{ type: "model", id: "b5", fields: { title: "x" }, validate: "yes" }, "boolean"],
    ];
    for (const [frame] of cases) a.send(frame);
    await a.until((x) => x.of("error").length === cases.length);
    expect(a.of("error").map((e) => e.code)).toEqual(cases.map(() => "bad_frame"));
    cases.forEach(([, words], i) => expect(a.of("error")[i]!.message).toContain(words));
    a.send({ type: "model", id: "huge", fields: { title: "y".repeat(3000) } });
    expect(await answer(a, "huge")).toMatchObject({ code: "invalid_args", issues: [{ path: "/", message: expect.stringContaining("2048 bytes") }] });
    expect(html(a)).toContain('<input name="title" value="">');
    // The socket stays usable.
    a.send({ type: "model", id: "fine", fields: { title: "fine" } });
    expect(await answer(a, "fine")).toMatchObject({ type: "ack" });
    a.close();
  });

  it("before hello, a model frame gets hello_required", async () => {
    const a = await connectDirect(ns(), "m4");
    a.send({ type: "model", id: "early", fields: { title: "x" } });
    expect(await answer(a, "early")).toMatchObject({ code: "hello_required" });
    a.close();
  });
});

describe("submit", () => {
  it("validates the whole bound form: every field's errors are rendered, nothing is committed", async () => {
    const a = await open("s1");
    a.send({ type: "model", id: "t", fields: { title: "ok!" } });
    await answer(a, "t");
    const r = (await a.act("save", {}, "save-1")) as ErrorFrame;
    expect(r).toMatchObject({ code: "invalid_args", issues: [{ path: "/qty" }] });
    await a.until(() => html(a).includes('<span class="err-qty">'));
    expect(html(a)).toContain('<span class="err-qty">Invalid input: expected number, received undefined</span>');
    expect((await ns().getByName("s1").stats()).events).toBe(0);
  });

  it("gets the bound fields with the submitted args over them, commits, resets the form and flashes", async () => {
    const a = await open("s2");
    const b = await open("s2", "client-other-0123456789");
    a.send({ type: "model", id: "t", fields: { title: "Bound title" } });
    await answer(a, "t");
    expect(await a.act("save", { qty: 2 }, "save-2")).toMatchObject({ type: "ack", seq: 1 });
    await a.until((x) => x.of("effect").length === 1);
    expect(a.of("effect")).toEqual([{ type: "effect", id: "save-2", effect: { kind: "flash", level: "success", message: "Saved Bound title x2" } }]);
    await b.until((x) => html(x).includes("<li>Bound title"));
    expect(html(a)).toContain('<input name="title" value="">');
    expect(b.of("effect")).toEqual([]);
    a.close();
    b.close();
  });
});

describe("effects", () => {
  it("redirect, navigate and browser events go to the acting viewer, after its ack", async () => {
    const a = await open("e1");
    const b = await open("e1", "client-other-0123456789");
    await a.act("go", { url: "/articles/42", how: "redirect" }, "g1");
    await a.act("go", { url: "https://example.com/x", how: "navigate" }, "g2");
    await a.until((x) => x.of("effect").length === 4);
    expect(a.of("effect").map((f) => [f.id, f.effect])).toEqual([
      ["g1", { kind: "redirect", url: "/articles/42" }],
      ["g1", { kind: "event", name: "went", detail: { url: "/articles/42" } }],
      ["g2", { kind: "navigate", url: "https://example.com/x" }],
      ["g2", { kind: "event", name: "went", detail: { url: "https://example.com/x" } }],
    ]);
    const order = a.frames.filter((f) => "id" in f && f.id === "g1").map((f) => f.type);
    expect(order).toEqual(["ack", "effect", "effect"]);
    expect(b.of("effect")).toEqual([]);
    a.close();
    b.close();
  });

  it("refuses URLs that are not paths or http(s): the action fails and sends no effect", async () => {
    const a = await open("e2");
    for (const url of ["javascript:alert(1)", "//evil.example/", "data:text/html,x", ""]) {
      expect(await a.act("go", { url, how: "redirect" }, `bad-${url}`)).toMatchObject({ type: "error", code: "action_failed" });
    }
    expect(a.of("effect")).toEqual([]);
    a.close();
  });

  it("over RPC there is no viewer: effects and viewer changes are dropped, the events commit", async () => {
    const stub = ns().getByName("e3");
    expect(await stub.dispatch("tabAndAdd", { tab: "rpc" })).toMatchObject({ ok: true, seq: 1 });
    expect(await stub.dispatch("go", { url: "/x", how: "redirect" })).toMatchObject({ ok: true });
    const a = await open("e3");
    expect(html(a)).toContain('<nav class="home">');
    a.close();
  });
});
