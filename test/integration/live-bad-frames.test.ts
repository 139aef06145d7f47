import { describe, expect, it } from "vitest";
import type { ErrorFrame } from "../../durable-objects/realtime/protocol";
import { Client, connectDirect, hello, labs } from "../support/live";

async function errorFor(c: Client, frame: unknown): Promise<ErrorFrame> {
  const before = c.of("error").length;
  c.send(frame);
  await c.until((x) => x.of("error").length > before);
  return c.of("error")[before]!;
}

/** The socket still works after the bad frame: a valid action is acked. */
async function stillOpen(c: Client, id: string): Promise<void> {
  c.send({ type: "action", id, name: "add", args: { by: 1 } });
  await c.until((x) => x.of("ack").some((a) => a.id === id));
  expect(c.closed).toBeUndefined();
}

describe("bad frames get an error frame and the socket stays open", () => {
  it("covers every class of bad frame", async () => {
    const c = await connectDirect(labs.LAB, "bad-1");
    await hello(c);
    const cases: [unknown, string][] = [
      ["{not json", "bad_frame"],
      ["[1,2]", "bad_frame"],
      ['"hello"', "bad_frame"],
      [{ nope: 1 }, "bad_frame"],
      [{ type: "launch" }, "unknown_type"],
      [{ type: "action", name: "add", args: {} }, "bad_frame"],
      [{ type: "action", id: "x".repeat(200), name: "add" }, "bad_frame"],
      [{ type: "action", id: "n1" }, "bad_frame"],
      [{ type: "hello", v: "1" }, "bad_frame"],
      [{ type: "hello", v: 1, since: -3 }, "bad_frame"],
    ];
    for (const [frame, code] of cases) {
      expect((await errorFor(c, frame)).code, JSON.stringify(frame)).toBe(code);
    }
    await stillOpen(c, "ok-1");

    const unknown = await errorFor(c, { type: "action", id: "u1", name: "explode", args: {} });
    expect(unknown).toMatchObject({ id: "u1", code: "unknown_action" });
    // Prototype keys are not actions either.
    expect((await errorFor(c, { type: "action", id: "u2", name: "toString", args: {} })).code).toBe("unknown_action");

    const invalid = await errorFor(c, { type: "action", id: "v1", name: "add", args: { by: "lots" } });
    expect(invalid).toMatchObject({ id: "v1", code: "invalid_args" });
    expect(invalid.issues?.[0]?.path).toBe("/by");
    expect((await errorFor(c, { type: "action", id: "v2", name: "add" })).code).toBe("invalid_args");

    const refused = await errorFor(c, { type: "action", id: "f1", name: "refuse", args: {} });
    expect(refused).toMatchObject({ code: "action_failed", message: "Refused on purpose." });

    await stillOpen(c, "ok-2");
    // None of the bad frames moved the state.
    expect((await labs.LAB.getByName("bad-1").stats()).seq).toBe(2);
    c.close();
  });

  it("binary frames get bad_frame", async () => {
    const c = await connectDirect(labs.LAB, "bad-2");
    await hello(c);
    c.ws.send(new Uint8Array([1, 2, 3]));
    await c.until((x) => x.of("error").length === 1);
    expect(c.of("error")[0]!.code).toBe("bad_frame");
    await stillOpen(c, "ok");
    c.close();
  });

  it("actions before hello get hello_required", async () => {
    const c = await connectDirect(labs.LAB, "bad-3");
    expect(await errorFor(c, { type: "action", id: "early", name: "add", args: { by: 1 } })).toMatchObject({ id: "early", code: "hello_required" });
    await hello(c);
    await stillOpen(c, "ok");
    c.close();
  });

  it("an unauthorized action gets unauthorized over the socket and over RPC", async () => {
    const anon = await connectDirect(labs.LAB, "auth-1");
    await hello(anon);
    expect(await errorFor(anon, { type: "action", id: "a1", name: "admin", args: {} })).toMatchObject({ code: "unauthorized" });
    const admin = await connectDirect(labs.LAB, "auth-1", "admin");
    await hello(admin);
    admin.send({ type: "action", id: "a2", name: "admin", args: {} });
    await admin.until((x) => x.of("ack").length === 1);
    const stub = labs.LAB.getByName("auth-1");
    expect(await stub.dispatch("admin", {}, { user: "mallory" })).toMatchObject({ ok: false, code: "unauthorized" });
    expect(await stub.dispatch("admin", {}, { user: "admin" })).toMatchObject({ ok: true, seq: 2 });
    expect(await stub.dispatch("add", { by: "x" })).toMatchObject({ ok: false, code: "invalid_args" });
    expect(await stub.dispatch("nope", {})).toMatchObject({ ok: false, code: "unknown_action" });
    anon.close();
    admin.close();
  });

  it("pings get pongs: the runtime answers the exact ping text, the object any other spelling", async () => {
    const c = await connectDirect(labs.LAB, "ping-1");
    c.send('{"type":"ping"}');
    c.send('{ "type": "ping" }');
    await c.until((x) => x.of("pong").length === 2);
    c.close();
  });
});

describe("oversized frames, floods and versions close the socket with their code", () => {
  it("names an oversized action in a too_large error, then closes with 1009, and commits nothing", async () => {
    const c = await connectDirect(labs.LAB, "big-frame");
    await hello(c);
    c.send({ type: "action", id: "big", name: "item", args: { text: "x".repeat(5000) } });
    await c.until((x) => x.closed !== undefined);
    expect(c.closed!.code).toBe(1009);
    // The error arrived before the close, so the client can drop the action instead of resending it.
    expect(c.of("error")).toEqual([{ type: "error", id: "big", code: "too_large", message: expect.stringContaining("2048 bytes") }]);
    expect((await labs.LAB.getByName("big-frame").stats()).seq).toBe(0);
  });

  it("reads the id of an oversized action only from the frame's leading members", async () => {
    const frames: [string, string | undefined][] = [
      // Non-ASCII text past the byte limit (under it in UTF-16 units), with an escaped id.
      [JSON.stringify({ type: "action", id: 'a"1', name: "item", args: { text: "漢".repeat(1000) } }), 'a"1'],
      // An id after the args is not searched for, and an "id" inside the args is not the action's.
      [JSON.stringify({ type: "action", name: "item", args: { id: "inner", text: "x".repeat(5000) }, id: "late" }), undefined],
      // Not an action.
      [JSON.stringify({ type: "hello", id: "h", pad: "x".repeat(5000) }), undefined],
      ["x".repeat(5000), undefined],
    ];
    for (const [i, [text, id]] of frames.entries()) {
      const c = await connectDirect(labs.LAB, `big-frame-${i}`);
      await hello(c);
      c.send(text);
      await c.until((x) => x.closed !== undefined);
      expect(c.closed!.code).toBe(1009);
      const [error] = c.of("error");
      expect(error).toMatchObject({ code: "too_large" });
      expect(error!.id).toBe(id);
    }
  });

  it("closes a flooding socket with 4008", async () => {
    const c = await connectDirect(labs.LAB, "flood");
    await hello(c);
    // Not the exact auto-response text, so each one reaches the object and counts.
    for (let i = 0; i < 60; i++) c.send(' {"type":"ping"}');
    await c.until((x) => x.closed !== undefined);
    expect(c.closed!.code).toBe(4008);
    // The object is fine: a new socket works.
    const d = await connectDirect(labs.LAB, "flood");
    await hello(d);
    await stillOpen(d, "after-flood");
    d.close();
  });

  it("closes a hello with another protocol version with 4000", async () => {
    const c = await connectDirect(labs.LAB, "version");
    c.send({ type: "hello", v: 2 });
    await c.until((x) => x.closed !== undefined);
    expect(c.closed!.code).toBe(4000);
  });
});
