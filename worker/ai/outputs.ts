import { ProviderFailure } from "./errors";
import type { AiTask, ChatOutput, ClassifyOutput, EmbedOutput, SummarizeOutput, Usage } from "./types";

/**
 * Brings a model's output into the alias's shape, whichever provider or model
 * of the chain answered; a malformed output is a provider failure (so the
 * chain falls back), never a crash later in the caller.
 */
export function shapeOutput(task: AiTask | undefined, raw: unknown, model: string): unknown {
  switch (task) {
    case undefined:
      return raw;
    case "text-generation":
      return chat(raw, model);
    case "summarization": {
      const summary = (raw as { summary?: unknown } | null)?.summary;
      if (typeof summary !== "string") throw malformed(model, "a summary");
      return { summary } satisfies SummarizeOutput;
    }
    case "text-embeddings": {
      const o = raw as { shape?: unknown; data?: unknown } | null;
      if (!Array.isArray(o?.data) || !o.data.every((row) => Array.isArray(row))) throw malformed(model, "embedding vectors");
      const data = o.data as number[][];
      return { shape: [data.length, data[0]?.length ?? 0], data } satisfies EmbedOutput;
    }
    case "text-classification": {
      if (!Array.isArray(raw) || !raw.every((x) => typeof (x as { label?: unknown }).label === "string")) throw malformed(model, "labels");
      return raw as ClassifyOutput;
    }
  }
}

function chat(raw: unknown, model: string): ChatOutput {
  if (typeof raw === "string") return { response: raw };
  const o = raw as { response?: unknown; usage?: Usage; choices?: { message?: { content?: unknown } }[] } | null;
  const text = typeof o?.response === "string" ? o.response : o?.choices?.[0]?.message?.content;
  if (typeof text !== "string") throw malformed(model, "a response");
  return o?.usage ? { response: text, usage: o.usage } : { response: text };
}

function malformed(model: string, what: string): ProviderFailure {
  return new ProviderFailure("rejected", `Model ${model} returned no ${what}.`);
}

export function usageOf(output: unknown): Usage | undefined {
  const u = (output as { usage?: unknown } | null)?.usage;
  return u && typeof u === "object" ? (u as Usage) : undefined;
}
