import { ProviderFailure, type FailureKind } from "../errors";
import type { AiProvider, ProviderRequest, ProviderResult } from "../provider";

export interface OpenAiCompatibleOptions {
  /** e.g. http://localhost:11434/v1 (Ollama) or http://localhost:8080/v1 (llama.cpp). */
  baseUrl: string;
  apiKey?: string | undefined;
  /** Injected for tests and service bindings; defaults to global fetch. */
  fetch?: (request: Request) => Promise<Response>;
}

/**
 * Any OpenAI-compatible HTTP endpoint: for offline development against a
 * local model server. Serves text generation (and summarization through a
 * chat prompt) and embeddings; each alias names its model with `openaiModel`.
 */
export class OpenAiCompatibleProvider implements AiProvider {
  readonly name = "openai";
  readonly #base: string;
  readonly #key: string | undefined;
  readonly #fetch: (request: Request) => Promise<Response>;

  constructor(options: OpenAiCompatibleOptions) {
    this.#base = options.baseUrl.replace(/\/+$/, "");
    this.#key = options.apiKey;
    this.#fetch = options.fetch ?? ((r) => fetch(r));
  }

  async run(req: ProviderRequest): Promise<ProviderResult> {
    const model = req.openaiModel;
    if (!model || req.task === undefined || req.task === "text-classification") {
      const variable = req.task === "text-embeddings" ? "AI_OPENAI_MODEL_EMBED" : "AI_OPENAI_MODEL_CHAT";
      const why = req.task === "text-classification" || req.task === undefined ? `cannot serve "${req.alias}"` : `has no model for "${req.alias}": set ${variable}`;
      throw new ProviderFailure("unavailable", `The OpenAI-compatible provider at ${this.#base} ${why}.`, null, req.task === "text-classification" ? ["AI_PROVIDERS"] : [variable]);
    }
    if (req.task === "text-embeddings") {
      const text = req.input.text;
      const res = await this.#post("/embeddings", { model, input: Array.isArray(text) ? text : [text] }, req.signal);
      const body = (await res.json()) as { data?: { embedding: number[] }[] };
      const data = (body.data ?? []).map((d) => d.embedding);
      return { kind: "json", output: { shape: [data.length, data[0]?.length ?? 0], data }, requestId: res.headers.get("x-request-id"), gatewayLogId: null };
    }
    const { messages, options } = chatRequest(req);
    const res = await this.#post("/chat/completions", { model, messages, stream: req.stream, ...options }, req.signal);
    const requestId = res.headers.get("x-request-id");
    if (req.stream) {
      if (!res.body) throw new ProviderFailure("rejected", "The endpoint returned no stream body.", requestId);
      return { kind: "stream", body: res.body, requestId, gatewayLogId: null };
    }
    const body = (await res.json()) as { choices?: { message?: { content?: string } }[]; usage?: unknown };
    const text = body.choices?.[0]?.message?.content ?? "";
    const output = req.task === "summarization" ? { summary: text } : { response: text, ...(body.usage ? { usage: body.usage } : {}) };
    return { kind: "json", output, requestId, gatewayLogId: null };
  }

  async #post(path: string, body: unknown, signal: AbortSignal): Promise<Response> {
    const headers = new Headers({ "content-type": "application/json" });
    if (this.#key) headers.set("authorization", `Bearer ${this.#key}`);
    let res: Response;
    try {
      res = await this.#fetch(new Request(this.#base + path, { method: "POST", headers, body: JSON.stringify(body), signal }));
    } catch (err) {
      if (signal.aborted) throw err;
      const message = err instanceof Error ? err.message : String(err);
      throw new ProviderFailure("unavailable", `Could not reach the OpenAI-compatible endpoint AI_OPENAI_BASE_URL=${this.#base} (${message}). Start the server (e.g. \`ollama serve\`) or fix AI_OPENAI_BASE_URL.`, null, ["AI_OPENAI_BASE_URL"]);
    }
    if (res.ok) return res;
    const text = await res.text();
    let message = text;
    try {
      const parsed = JSON.parse(text) as { error?: { message?: string } | string };
      message = typeof parsed.error === "string" ? parsed.error : (parsed.error?.message ?? text);
    } catch {
      // not JSON: keep the raw text
    }
    const kind: FailureKind = res.status === 429 ? "rate-limited" : res.status >= 500 ? "transient" : res.status === 401 || res.status === 403 ? "unavailable" : "rejected";
    const detail = `${res.status}: ${message}`;
    throw new ProviderFailure(kind, kind === "unavailable" ? `${detail} (check AI_OPENAI_API_KEY)` : detail, res.headers.get("x-request-id"), ["AI_OPENAI_API_KEY"]);
  }
}

function chatRequest(req: ProviderRequest): { messages: { role: string; content: string }[]; options: Record<string, unknown> } {
  const { messages, prompt, input_text, max_length, stream: _stream, ...options } = req.input as Record<string, unknown>;
  if (req.task === "summarization") {
    const words = typeof max_length === "number" ? ` in at most ${max_length} words` : "";
    return { messages: [{ role: "system", content: `Summarize the user's text${words}. Answer with the summary only.` }, { role: "user", content: String(input_text ?? "") }], options };
  }
  if (Array.isArray(messages)) return { messages: messages as { role: string; content: string }[], options };
  return { messages: [{ role: "user", content: String(prompt ?? "") }], options };
}
