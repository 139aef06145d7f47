import { ProviderFailure, type FailureKind } from "../errors";
import type { AiProvider, ProviderRequest, ProviderResult } from "../provider";

/**
 * The part of the `Ai` binding the provider uses. `lastRequestId` and
 * `aiGatewayLogId` are plain properties on the real binding and promises when
 * the binding is reached over RPC (a service binding to a stand-in or proxy).
 */
export interface AiBinding {
  run(model: string, inputs: Record<string, unknown>, options?: Record<string, unknown>): Promise<unknown>;
  readonly lastRequestId?: string | null | PromiseLike<string | null>;
  readonly aiGatewayLogId?: string | null | PromiseLike<string | null>;
}

// Workers AI internal codes ("3040: Capacity temporarily exceeded..."): which ones are worth retrying.
const RATE_LIMITED = new Set([3040]);
const TRANSIENT = new Set([3001, 3007, 3030, 3043, 3046]);

const LOCAL_HINT =
  "Workers AI is not reachable from `wrangler dev --local`. Run `npx wrangler login` and start with remote AI " +
  "(`npx wrangler dev` with `remote = true` on the [ai] binding), or point AI_OPENAI_BASE_URL at a local " +
  "OpenAI-compatible server (Ollama: http://localhost:11434/v1) and set AI_OPENAI_MODEL_CHAT.";

/** The production path: the Workers AI binding from wrangler.toml's `[ai]`. */
export class WorkersAiProvider implements AiProvider {
  readonly name = "workers-ai";
  readonly #binding: AiBinding | undefined;

  constructor(binding: AiBinding | undefined) {
    this.#binding = binding;
  }

  async run(req: ProviderRequest): Promise<ProviderResult> {
    const binding = this.#binding;
    if (!binding) throw new ProviderFailure("unavailable", `No Workers AI binding. Add [ai] binding = "AI" to wrangler.toml. ${LOCAL_HINT}`, null, ["AI"]);
    const inputs = req.stream ? { ...req.input, stream: true } : req.input;
    const options: Record<string, unknown> = { signal: req.signal };
    if (req.gateway) options.gateway = req.gateway;
    let out: unknown;
    try {
      out = await binding.run(req.model, inputs, options);
    } catch (err) {
      throw classify(err, await meta(binding.lastRequestId));
    }
    const requestId = await meta(binding.lastRequestId);
    const gatewayLogId = await meta(binding.aiGatewayLogId);
    if (req.stream) {
      if (!(out instanceof ReadableStream)) throw new ProviderFailure("rejected", `Model ${req.model} did not return a stream.`, requestId);
      return { kind: "stream", body: out as ReadableStream<Uint8Array>, requestId, gatewayLogId };
    }
    return { kind: "json", output: out, requestId, gatewayLogId };
  }
}

async function meta(v: string | null | undefined | PromiseLike<string | null>): Promise<string | null> {
  try {
    const value = await v;
    return typeof value === "string" && value !== "" ? value : null;
  } catch {
    return null;
  }
}

function classify(err: unknown, requestId: string | null): ProviderFailure {
  if (err instanceof ProviderFailure) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof Error && (err.name === "AbortError" || err.name === "TimeoutError")) {
    return new ProviderFailure("timeout", message, requestId);
  }
  if (/needs to be run remotely|not supported/i.test(message)) {
    return new ProviderFailure("unavailable", `${message}. ${LOCAL_HINT}`, requestId, ["AI_OPENAI_BASE_URL", "AI_OPENAI_MODEL_CHAT"]);
  }
  const code = Number(/^(\d{4}):/.exec(message)?.[1]);
  let kind: FailureKind = "rejected";
  if (RATE_LIMITED.has(code) || /capacity|rate limit|too many requests/i.test(message)) kind = "rate-limited";
  else if (TRANSIENT.has(code) || /internal server error|network connection lost|temporarily|disconnected/i.test(message)) kind = "transient";
  return new ProviderFailure(kind, message, requestId);
}
