import type { RequestContext } from "../http/context";
import type { Renderable } from "../http/respond";
import { SseParser } from "./sse";
import type { Usage } from "./types";

export class AiStreamError extends Error {
  constructor(readonly problem: { detail?: string; status?: number; requestId?: string; providerRequestId?: string | null }) {
    super(problem.detail ?? "The model's stream failed.");
    this.name = "AiStreamError";
  }
}

export interface StreamChunk {
  token: string;
  usage?: Usage;
}

/**
 * A model's answer as normalised server-sent events. Return it from a route to
 * answer `text/event-stream`, or read it token by token. Readable once.
 */
export class AiStream implements Renderable {
  constructor(
    readonly body: ReadableStream<Uint8Array>,
    readonly model: string,
    readonly provider: string,
  ) {}

  toResponse(_c?: RequestContext): Response {
    return new Response(this.body, {
      headers: {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        "x-ai-model": this.model,
      },
    });
  }

  /** Tokens in order; rejects with AiStreamError when the stream ends in an error event. */
  async *chunks(): AsyncGenerator<StreamChunk> {
    const parser = new SseParser();
    const reader = this.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        for (const e of done ? parser.end() : parser.push(value)) {
          if (e.event === "error") throw new AiStreamError(JSON.parse(e.data) as AiStreamError["problem"]);
          if (e.data === "[DONE]") return;
          const v = JSON.parse(e.data) as { response: string; usage?: Usage };
          yield v.usage ? { token: v.response, usage: v.usage } : { token: v.response };
        }
        if (done) return;
      }
    } finally {
      reader.releaseLock();
    }
  }

  /** The whole answer. */
  async text(): Promise<string> {
    let out = "";
    for await (const c of this.chunks()) out += c.token;
    return out;
  }
}
