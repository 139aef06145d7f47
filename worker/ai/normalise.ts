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
  const watchdog = new IdleWatchdog(opts.idleMs);
  const parser = new SseParser();
  let text = "";
  let usage: Usage | undefined;
  let finished = false;

  const finish = (controller: ReadableStreamDefaultController<Uint8Array>, error?: string) => {
    if (finished) return;
    finished = true;
    watchdog.stop();
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
          chunk = await watchdog.guard(reader.read());
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
      watchdog.stop();
      return reader.cancel(reason);
    },
  });
}

/**
 * Rejects a read when the upstream has been silent for `idleMs`. One timer
 * for the whole stream, re-armed only when it fires early: a timer per chunk
 * cost more than the parsing itself.
 */
class IdleWatchdog {
  #last = Date.now();
  #pending = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #reject: ((err: Error) => void) | undefined;
  #stalled: Promise<never> | undefined;

  constructor(readonly idleMs: number) {}

  guard<T>(read: Promise<T>): Promise<T> {
    this.#last = Date.now();
    this.#pending = true;
    if (!this.#stalled) {
      this.#stalled = new Promise<never>((_, reject) => {
        this.#reject = reject;
        this.#arm(this.idleMs);
      });
      this.#stalled.catch(() => {});
    }
    return Promise.race([read, this.#stalled]).finally(() => {
      this.#pending = false;
    });
  }

  stop(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #arm(ms: number): void {
    this.#timer = setTimeout(() => {
      // Only a read the upstream leaves waiting counts; a slow consumer is not a stall.
      const quiet = Date.now() - this.#last;
      if (!this.#pending) this.#arm(this.idleMs);
      else if (quiet >= this.idleMs) this.#reject?.(new Error(`The model's stream stalled for ${this.idleMs} ms.`));
      else this.#arm(this.idleMs - quiet);
    }, ms);
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
