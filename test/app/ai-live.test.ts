// Streaming into a live component: tokens become coalesced state updates, and a
// connected socket watches the answer grow without one frame per token.
import { env, exports } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import type { ServerFrame } from "../../durable-objects/realtime/protocol";
import type { TextUpdate } from "../../worker/ai/coalesce";
import { componentSink, type ActionTarget } from "../../worker/ai/component-sink";
import { streamInto } from "../../worker/ai/live";
import { applyChange } from "../../worker/templating/diff";
import { toHtml, type Dynamic, type StaticsTable } from "../../worker/templating/rendered";
import { manager, standin } from "../support/ai";
import { Client, connectViaWorker, hello } from "../support/live";

beforeEach(async () => {
  await standin.__reset();
});

/** The answer text a browser shows after each frame. */
function answers(frames: ServerFrame[]): string[] {
  let cur: { root: Dynamic; statics: StaticsTable } | undefined;
  const out: string[] = [];
  for (const f of frames) {
    if (f.type === "render") cur = { root: f.dynamics, statics: { ...f.statics } };
    else if (f.type === "diff" && cur) cur = { root: applyChange(cur.root, f.changes), statics: { ...cur.statics, ...f.statics } };
    else continue;
    out.push(/<p class="answer">(.*?)<\/p>/.exec(toHtml(cur!.root, cur!.statics))?.[1] ?? "");
  }
  return out;
}

async function ask(c: Client, id: string, prompt: string): Promise<ServerFrame> {
  c.send({ type: "action", id, name: "ask", args: { prompt } });
  await c.until((x) => x.frames.some((f) => (f.type === "ack" || f.type === "error") && f.id === id));
  return c.frames.find((f) => (f.type === "ack" || f.type === "error") && f.id === id)!;
}

describe("streamInto", () => {
  it("delivers growing text, coalesced, ending with the full answer", async () => {
    const words = Array.from({ length: 40 }, (_, i) => `w${i}`).join(" ");
    const stream = await manager().stream("chat", { prompt: words });
    const updates: TextUpdate[] = [];
    const result = await streamInto(stream, { update: (u) => void updates.push(u) }, { flushMs: 25 });
    expect(result.text).toBe(`Echo: ${words}`);
    expect(result.usage).toMatchObject({ completion_tokens: 41 });
    expect(updates.at(-1)).toMatchObject({ text: result.text, done: true });
    expect(updates.length).toBeLessThan(20);
    for (let i = 1; i < updates.length; i++) expect(updates[i]!.text.startsWith(updates[i - 1]!.text)).toBe(true);
  });

  it("tells the sink when the stream breaks midway and keeps the partial text", async () => {
    const stream = await manager().stream("chat", { prompt: "a b c d e f [break@3]" });
    const failures: { message: string; text: string }[] = [];
    const sink = { update: () => {}, fail: (e: Error, text: string) => void failures.push({ message: e.message, text }) };
    await expect(streamInto(stream, sink, { flushMs: 10 })).rejects.toThrow();
    expect(failures).toEqual([{ message: expect.any(String), text: "Echo: a b" }]);
  });

  it("componentSink sends idempotent actions and surfaces a refusal", async () => {
    const sent: { action: string; args: unknown; id: string | undefined }[] = [];
    const target: ActionTarget = {
      dispatch: async (action, args, _caller, id) => {
        sent.push({ action, args, id });
        return sent.length < 3 ? { ok: true } : { ok: false, message: "nope" };
      },
    };
    const sink = componentSink(target, "streamText", "s1");
    await sink.update({ text: "a", delta: "a", seq: 1, done: false });
    await sink.update({ text: "ab", delta: "b", seq: 2, done: true });
    await expect(sink.fail!(new Error("x"), "abc")).rejects.toThrow(/refused "streamText": nope/);
    expect(sent.map((s) => s.id)).toEqual(["ai:s1:1", "ai:s1:2", "ai:s1:3"]);
    // The failure carries the text that had not been flushed yet.
    expect(sent[2]!.args).toEqual({ stream: "s1", delta: "c", seq: 3, done: true, error: "x" });
  });
});

describe("the Assistant component", () => {
  it("streams an answer into its state; a connected socket sees the text grow, coalesced", async () => {
    const key = `live-${crypto.randomUUID().slice(0, 8)}`;
    const watcher = new Client((await connectViaWorker("assistant", key)).webSocket!);
    const asker = new Client((await connectViaWorker("assistant", key)).webSocket!);
    await hello(watcher);
    await hello(asker);
    const words = Array.from({ length: 120 }, (_, i) => `t${i}`).join(" ");
    expect(await ask(asker, "q1", words)).toMatchObject({ type: "ack" });
    const full = `Echo: ${words}`;
    await watcher.until((x) => answers(x.frames).at(-1) === full && JSON.stringify(x.frames.at(-1)).includes("done"), 10_000);

    const seen = answers(watcher.frames);
    // The text only grows, through several intermediate states...
    const distinct = [...new Set(seen.filter((t) => t !== ""))];
    for (let i = 1; i < distinct.length; i++) expect(distinct[i]!.startsWith(distinct[i - 1]!)).toBe(true);
    expect(distinct.length).toBeGreaterThanOrEqual(2);
    // ...in far fewer frames than the 121 tokens (100 ms windows over ~1 ms tokens).
    const frames = watcher.frames.filter((f) => f.type === "diff").length;
    expect(frames).toBeLessThan(40);
    const stub = env.ASSISTANT.getByName(key);
    const state = await stub.stats();
    expect(state.events).toBeLessThan(40);
    watcher.close();
    asker.close();
  });

  it("ends in a failed state with the partial text when the model's stream breaks", async () => {
    const key = `fail-${crypto.randomUUID().slice(0, 8)}`;
    const c = new Client((await connectViaWorker("assistant", key)).webSocket!);
    await hello(c);
    await ask(c, "q1", "one two three four [break@2]");
    await c.until((x) => JSON.stringify(x.frames).includes("failed"), 8000);
    const html = JSON.stringify(await env.ASSISTANT.getByName(key).currentRender());
    expect(html).toContain("Echo: one");
    expect(html).toContain("class=\\\"error\\\"");
    c.close();
  });

  it("refuses streamText from a browser", async () => {
    const key = `guard-${crypto.randomUUID().slice(0, 8)}`;
    const c = new Client((await connectViaWorker("assistant", key)).webSocket!);
    await hello(c);
    c.send({ type: "action", id: "x1", name: "streamText", args: { stream: "s", delta: "forged", seq: 1, done: true } });
    await c.until((x) => x.frames.some((f) => f.type === "error" && f.id === "x1"));
    expect(c.frames.find((f) => f.type === "error" && f.id === "x1")).toMatchObject({ code: expect.stringMatching(/unauthori/i) });
    c.close();
  });

  it("rejects an empty question with an error frame and keeps the socket open", async () => {
    const key = `bad-${crypto.randomUUID().slice(0, 8)}`;
    const c = new Client((await connectViaWorker("assistant", key)).webSocket!);
    await hello(c);
    expect(await ask(c, "q1", "   ")).toMatchObject({ type: "error" });
    expect(c.closed).toBeUndefined();
    expect(await standin.__calls()).toHaveLength(0);
    c.close();
  });

  it("has a page that mounts it live", async () => {
    const res = await exports.default.fetch("http://example.com/assistant/page-1");
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('class="assistant"');
    expect(page).toMatch(/data-live[\w-]*="[^"]*assistant/);
  });
});
