import { encodeEvent, SseParser } from "./sse";
import type { Usage } from "./types";

export interface StreamSummary {
  text: string;
  usage: Usage | undefined;
  /** Set when the stream failed midway. */
  error: string | undefined;
}

export interface NormaliseOptions {
  /** Longest silence between upstream chunks before the stream is declared stalled. */
  idleMs: number;
  requestId: string;
  providerRequestId: string | null;
  onDone?(summary: StreamSummary): void;
}

/**
 * Turns a provider's SSE (Workers AI `{"response": ...}` events, or OpenAI-style
 * `choices[0].delta.content`) into one shape: `data: {"response":"..."}` per
 * token, a final `data: {"response":"","usage":{...}}` when usage is known, then
 * `data: [DONE]`. A failure midway (upstream error, stall, or an end without
 * [DONE]) ends the stream with `event: error` carrying a problem object.
 */
export function normaliseSse(upstream: ReadableStream<Uint8Array>, opts: NormaliseOptions): ReadableStream<Uint8Array> {
  const reader = upstream.getReader();
  const parser = new SseParser();
  let text = "";
  let usage: Usage | undefined;
  let finished = false;

  const finish = (controller: ReadableStreamDefaultController<Uint8Array>, error?: string) => {
    if (finished) return;
    finished = true;
    if (error === undefined) {
      if (usage) controller.enqueue(encodeEvent(JSON.stringify({ response: "", usage })));
      controller.enqueue(encodeEvent("[DONE]"));
    } else {
      const problem = { status: 502, title: "Bad Gateway", detail: error, requestId: opts.requestId, providerRequestId: opts.providerRequestId };
      controller.enqueue(encodeEvent(JSON.stringify(problem), "error"));
      reader.cancel(error).catch(() => {});
    }
    controller.close();
    opts.onDone?.({ text, usage, error });
  };

  return new ReadableStream<Uint8Array>({
    // Loops until something is enqueued: a pull that returns empty-handed (half an
    // event arrived) is not called again by every consumer, and the stream would hang.
    async pull(controller) {
      while (!finished) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await readWithin(reader, opts.idleMs);
        } catch (err) {
          finish(controller, err instanceof Error ? err.message : String(err));
          return;
        }
        let enqueued = false;
        for (const e of chunk.done ? parser.end() : parser.push(chunk.value)) {
          if (e.event === "error") return finish(controller, errorMessage(e.data));
          if (e.data === "[DONE]") return finish(controller);
          const parsed = parseJson(e.data);
          if (parsed === undefined) continue;
          const token = tokenOf(parsed);
          const u = (parsed as { usage?: Usage }).usage;
          if (u && typeof u === "object") usage = u;
          if (token) {
            text += token;
            controller.enqueue(encodeEvent(JSON.stringify({ response: token })));
            enqueued = true;
          }
        }
        if (chunk.done) return finish(controller, "The model's stream ended before it completed.");
        if (enqueued) return;
      }
    },
    cancel(reason) {
      finished = true;
      return reader.cancel(reason);
    },
  });
}

async function readWithin(reader: ReadableStreamDefaultReader<Uint8Array>, ms: number): Promise<ReadableStreamReadResult<Uint8Array>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`The model's stream stalled for ${ms} ms.`)), ms);
  });
  try {
    return await Promise.race([reader.read(), stalled]);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

function parseJson(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
}

function tokenOf(v: unknown): string {
  if (typeof v !== "object" || v === null) return "";
  const o = v as { response?: unknown; choices?: { delta?: { content?: unknown }; text?: unknown }[] };
  if (typeof o.response === "string") return o.response;
  const choice = o.choices?.[0];
  if (typeof choice?.delta?.content === "string") return choice.delta.content;
  if (typeof choice?.text === "string") return choice.text;
  return "";
}

function errorMessage(data: string): string {
  const v = parseJson(data) as { detail?: unknown; message?: unknown; error?: { message?: unknown } } | undefined;
  const m = v?.detail ?? v?.message ?? v?.error?.message;
  return typeof m === "string" ? m : data || "The model's stream failed.";
}
