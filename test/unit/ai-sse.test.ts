import { describe, expect, it } from "vitest";
import { normaliseSse } from "../../worker/ai/normalise";
import { SseParser, encodeEvent } from "../../worker/ai/sse";
import type { StreamSummary } from "../../worker/ai/normalise";
import { sseEvents } from "../support/ai";

const enc = new TextEncoder();

function streamOf(parts: (string | Uint8Array)[], opts: { error?: Error; stallAfter?: boolean } = {}): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i < parts.length) {
        const p = parts[i++]!;
        controller.enqueue(typeof p === "string" ? enc.encode(p) : p);
        return;
      }
      if (opts.error) controller.error(opts.error);
      else if (opts.stallAfter) return new Promise(() => {});
      else controller.close();
    },
  });
}

describe("SseParser", () => {
  it("reassembles events split anywhere, including inside a UTF-8 character", () => {
    const bytes = enc.encode('data: {"response":"héllo"}\n\nevent: error\ndata: a\ndata: b\n\n');
    const p = new SseParser();
    const events = [...p.push(bytes.slice(0, 17)), ...p.push(bytes.slice(17, 30)), ...p.push(bytes.slice(30)), ...p.end()];
    expect(events).toEqual([
      { event: "message", data: '{"response":"héllo"}' },
      { event: "error", data: "a\nb" },
    ]);
  });

  it("handles CRLF, comments and a final event without its blank line", () => {
    const p = new SseParser();
    expect(p.push(enc.encode(": keep-alive\r\n\r\ndata: one\r\n\r\ndata: two"))).toEqual([{ event: "message", data: "one" }]);
    expect(p.end()).toEqual([{ event: "message", data: "two" }]);
  });

  it("encodes multi-line data and named events", () => {
    expect(new TextDecoder().decode(encodeEvent("a\nb", "error"))).toBe("event: error\ndata: a\ndata: b\n\n");
  });
});

describe("normaliseSse", () => {
  const opts = { idleMs: 1000, requestId: "req-9", providerRequestId: "prov-1" };

  it("passes Workers AI tokens through in one shape, with usage and [DONE]", async () => {
    let summary: StreamSummary | undefined;
    const upstream = streamOf(['data: {"response":"Hel","p":"x"}\n\ndata: {"resp', 'onse":"lo"}\n\n', 'data: {"response":"","usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}\n\ndata: [DONE]\n\n']);
    const events = await sseEvents(normaliseSse(upstream, { ...opts, onDone: (s) => (summary = s) }));
    expect(events.map((e) => e.data)).toEqual(['{"response":"Hel"}', '{"response":"lo"}', '{"response":"","usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}', "[DONE]"]);
    expect(summary).toEqual({ text: "Hello", usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 }, error: undefined });
  });

  it("normalises OpenAI-style deltas", async () => {
    const upstream = streamOf(['data: {"choices":[{"delta":{"role":"assistant"}}]}\n\ndata: {"choices":[{"delta":{"content":"Hi"}}]}\n\ndata: [DONE]\n\n']);
    const events = await sseEvents(normaliseSse(upstream, opts));
    expect(events.map((e) => e.data)).toEqual(['{"response":"Hi"}', "[DONE]"]);
  });

  it("ends with event: error when the upstream fails midway", async () => {
    let summary: StreamSummary | undefined;
    const upstream = streamOf(['data: {"response":"par"}\n\n'], { error: new Error("3043: connection reset") });
    const events = await sseEvents(normaliseSse(upstream, { ...opts, onDone: (s) => (summary = s) }));
    expect(events[0]!.data).toBe('{"response":"par"}');
    expect(events.at(-1)!.event).toBe("error");
    expect(JSON.parse(events.at(-1)!.data)).toEqual({ status: 502, title: "Bad Gateway", detail: "3043: connection reset", requestId: "req-9", providerRequestId: "prov-1" });
    expect(summary).toMatchObject({ text: "par", error: "3043: connection reset" });
  });

  it("treats an end without [DONE] as a failure", async () => {
    const events = await sseEvents(normaliseSse(streamOf(['data: {"response":"cut"}\n\n']), opts));
    expect(events.at(-1)!.event).toBe("error");
    expect(events.at(-1)!.data).toContain("ended before it completed");
  });

  it("ends a stalled stream with an error event after the idle limit", async () => {
    const events = await sseEvents(normaliseSse(streamOf(['data: {"response":"wait"}\n\n'], { stallAfter: true }), { ...opts, idleMs: 30 }));
    expect(events.at(-1)!.event).toBe("error");
    expect(events.at(-1)!.data).toContain("stalled for 30 ms");
  });

  it("relays an upstream error event", async () => {
    const events = await sseEvents(normaliseSse(streamOf(['event: error\ndata: {"message":"quota"}\n\n']), opts));
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]!.data).detail).toBe("quota");
  });
});
