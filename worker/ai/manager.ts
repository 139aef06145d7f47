import type { AppConfig } from "../config";
import { BadRequestError } from "../http/errors";
import type { Logger } from "../http/logger";
import { cacheKey, type AiCacheStore } from "./cache";
import {
  AiInputTooLargeError,
  AiProviderError,
  AiTimeoutError,
  AiUnavailableError,
  ProviderFailure,
  UnknownModelError,
  type AttemptRecord,
} from "./errors";
import { normaliseSse } from "./normalise";
import { inferenceJob, type InferenceDispatcher, type QueueOptions } from "./queued";
import { shapeOutput, usageOf } from "./outputs";
import type { AiProvider, ProviderResult } from "./provider";
import { backoffDelay, raceAbort, sleep } from "./retry";
import { AiStream } from "./stream";
import type { AiAlias, AiAliases, AiCacheSetting, AiGatewayOptions, AliasConfig, ModelId, Usage } from "./types";

export type AiConfig = AppConfig["ai"];

export interface RunOptions {
  /** Opt in or out of the KV cache for this call; `{ ttl }` also sets the lifetime. Streams are never cached. */
  cache?: boolean | AiCacheSetting;
  /** AI Gateway options merged over config and alias; `false` skips the gateway. */
  gateway?: Partial<AiGatewayOptions> | false;
  /** The caller's own cancellation; aborting stops retries and fallbacks too. */
  signal?: AbortSignal;
  /** Per-attempt timeout; defaults to AI_TIMEOUT_MS. */
  timeoutMs?: number;
  /** Logger carrying the request id; defaults to the application logger. */
  log?: Logger;
  requestId?: string;
  /** Keeps cache writes off the response path (pass `c.ctx.waitUntil`). */
  waitUntil?: (promise: Promise<unknown>) => void;
}

export type StreamOptions = Omit<RunOptions, "cache" | "waitUntil"> & { stream: true };

/** An answer with its accounting. */
export interface Inference<T = unknown> {
  output: T;
  model: string;
  provider: string;
  cached: boolean;
  usage: Usage | undefined;
  latencyMs: number;
  /** Provider calls made, retries and fallbacks included (0 on a cache hit). */
  attempts: number;
  providerRequestId: string | null;
}

interface Target {
  name: string;
  alias: AliasConfig | undefined;
  models: readonly string[];
}

interface Answer {
  result: ProviderResult;
  output: unknown;
  model: string;
  provider: string;
  attempts: number;
}

export interface AIManagerDeps {
  config: AiConfig;
  providers: readonly AiProvider[];
  cache?: AiCacheStore;
  log: Logger;
  /** The jobs system's side of `ai.queue` (see queued.ts). */
  dispatcher?: InferenceDispatcher;
}

/**
 * Runs models by alias or id: validates size, reads and writes the cache,
 * retries rate limits and transient errors with backoff, falls back along the
 * alias's model chain and across providers, times each attempt out, and logs
 * usage. Errors leave as HttpErrors (400, 413, 502, 503, 504).
 */
export class AIManager {
  readonly #config: AiConfig;
  readonly #providers: readonly AiProvider[];
  readonly #cache: AiCacheStore | undefined;
  readonly #log: Logger;
  #dispatcher: InferenceDispatcher | undefined;

  constructor(deps: AIManagerDeps) {
    this.#dispatcher = deps.dispatcher;
    this.#config = deps.config;
    this.#providers = deps.providers;
    this.#cache = deps.cache;
    this.#log = deps.log;
  }

  get aliases(): string[] {
    return Object.keys(this.#config.aliases);
  }

  /** The alias's settings, or undefined for a raw model id or unknown name. */
  alias(name: string): AliasConfig | undefined {
    return Object.hasOwn(this.#config.aliases, name) ? this.#config.aliases[name as AiAlias] : undefined;
  }

  run<A extends AiAlias>(alias: A, input: AiAliases[A]["input"], options?: RunOptions & { stream?: false }): Promise<AiAliases[A]["output"]>;
  run(alias: "chat" | ModelId, input: AiAliases["chat"]["input"] | Record<string, unknown>, options: StreamOptions): Promise<AiStream>;
  run(model: ModelId, input: Record<string, unknown>, options?: RunOptions & { stream?: false }): Promise<unknown>;
  async run(name: string, input: unknown, options: (RunOptions & { stream?: boolean }) | StreamOptions = {}): Promise<unknown> {
    if (options.stream === true) return this.stream(name as "chat", input as AiAliases["chat"]["input"], options);
    return (await this.invoke(name as ModelId, input as Record<string, unknown>, options as RunOptions)).output;
  }

  /** Like `run`, with the model, provider, cache status, usage and latency. */
  invoke<A extends AiAlias>(alias: A, input: AiAliases[A]["input"], options?: RunOptions): Promise<Inference<AiAliases[A]["output"]>>;
  invoke(model: ModelId, input: Record<string, unknown>, options?: RunOptions): Promise<Inference>;
  async invoke(name: string, input: unknown, options: RunOptions = {}): Promise<Inference> {
    const started = Date.now();
    const target = this.#target(name);
    const merged = this.#prepare(target, input);
    const log = options.log ?? this.#log;
    const cache = this.#cacheSetting(target, options);
    const key = cache ? await cacheKey({ models: target.models, task: target.alias?.task, input: merged }) : undefined;
    if (cache && key) {
      const hit = await this.#cache!.get(key).catch((err: unknown) => {
        log.warn("ai.cache_read_failed", { error: err });
        return null;
      });
      if (hit) {
        const inference: Inference = { output: hit.output, model: hit.model, provider: hit.provider, cached: true, usage: hit.usage, latencyMs: Date.now() - started, attempts: 0, providerRequestId: null };
        this.#account(log, target, inference, false);
        return inference;
      }
    }
    const answer = await this.#attempt(target, merged, options, false);
    const usage = usageOf(answer.output);
    const inference: Inference = {
      output: answer.output,
      model: answer.model,
      provider: answer.provider,
      cached: false,
      usage,
      latencyMs: Date.now() - started,
      attempts: answer.attempts,
      providerRequestId: answer.result.requestId,
    };
    this.#account(log, target, inference, false, answer.result.gatewayLogId);
    if (cache && key) {
      const write = this.#cache!.put(key, { output: answer.output, model: answer.model, provider: answer.provider, ...(usage ? { usage } : {}) }, cache.ttl)
        .catch((err: unknown) => log.warn("ai.cache_write_failed", { error: err }));
      if (options.waitUntil) options.waitUntil(write);
      else await write;
    }
    return inference;
  }

  /** Streams a text-generation model's answer as normalised SSE. Errors before the first byte retry and fall back like `run`. */
  async stream(name: "chat" | ModelId, input: AiAliases["chat"]["input"] | Record<string, unknown>, options: Omit<StreamOptions, "stream"> = {}): Promise<AiStream> {
    const started = Date.now();
    const target = this.#target(name);
    if (target.alias && target.alias.task !== "text-generation") {
      throw new BadRequestError(`The "${name}" alias (${target.alias.task}) does not stream; only text-generation aliases do.`);
    }
    const merged = this.#prepare(target, input);
    const log = options.log ?? this.#log;
    const answer = await this.#attempt(target, merged, options, true);
    if (answer.result.kind !== "stream") throw new AiProviderError(`Model ${answer.model} did not stream.`, answer.result.requestId, []);
    const firstByteMs = Date.now() - started;
    const body = normaliseSse(answer.result.body, {
      idleMs: this.#config.streamIdleMs,
      requestId: options.requestId ?? "",
      providerRequestId: answer.result.requestId,
      onDone: ({ usage, error, text }) => {
        const fields = {
          alias: target.name, model: answer.model, provider: answer.provider, stream: true, attempts: answer.attempts,
          firstByteMs, latencyMs: Date.now() - started, chars: text.length, usage, providerRequestId: answer.result.requestId,
        };
        if (error) log.error("ai.stream_failed", { ...fields, error });
        else log.info("ai.inference", fields);
      },
    });
    return new AiStream(body, answer.model, answer.provider);
  }

  /** Plugs in the jobs system after construction (the queue module's provider boots later). */
  useDispatcher(dispatcher: InferenceDispatcher): this {
    this.#dispatcher = dispatcher;
    return this;
  }

  /**
   * Runs the inference later, as a job; the result goes to `onResult` (a
   * listener name or a component). Bad input fails here, before anything is queued.
   */
  async queue<A extends AiAlias>(alias: A, input: AiAliases[A]["input"], options: QueueOptions<A>): Promise<{ id: string }> {
    this.#prepare(this.#target(alias), input);
    if (!this.#dispatcher) {
      throw new AiUnavailableError("Queued inference needs the jobs system: register an InferenceDispatcher (the queue module does) with ai.useDispatcher().", ["JOBS"]);
    }
    const job = inferenceJob(alias, input, options);
    await this.#dispatcher.dispatch(job);
    return { id: job.id };
  }

  #target(name: string): Target {
    const alias = this.alias(name);
    if (alias) return { name, alias, models: alias.models };
    if (/^@[\w.-]+\/\S+$/.test(name)) return { name, alias: undefined, models: [name] };
    throw new UnknownModelError(name, this.aliases);
  }

  /** Applies alias defaults and the size limit; no model is called for bad input. */
  #prepare(target: Target, input: unknown): Record<string, unknown> {
    if (typeof input !== "object" || input === null || Array.isArray(input)) {
      throw new BadRequestError(`The input for "${target.name}" must be an object.`);
    }
    const limit = target.alias?.maxInputChars ?? this.#config.maxInputChars;
    const size = textSize(input);
    if (size > limit) throw new AiInputTooLargeError(size, limit, target.name);
    return { ...(target.alias?.defaults ?? {}), ...(input as Record<string, unknown>) };
  }

  #cacheSetting(target: Target, options: RunOptions): AiCacheSetting | undefined {
    if (!this.#cache || options.cache === false) return undefined;
    const aliasCache = target.alias?.cache || undefined;
    if (typeof options.cache === "object") return options.cache;
    if (options.cache === true) return aliasCache ?? { ttl: 3600 };
    return aliasCache;
  }

  #gateway(target: Target, options: RunOptions): AiGatewayOptions | undefined {
    if (options.gateway === false) return undefined;
    const merged = { ...(this.#config.gateway ?? {}), ...(target.alias?.gateway ?? {}), ...(options.gateway ?? {}) };
    return typeof merged.id === "string" && merged.id !== "" ? (merged as AiGatewayOptions) : undefined;
  }

  async #attempt(target: Target, input: Record<string, unknown>, options: RunOptions, stream: boolean): Promise<Answer> {
    const { retry } = this.#config;
    const timeoutMs = options.timeoutMs ?? this.#config.timeoutMs;
    const gateway = this.#gateway(target, options);
    const log = options.log ?? this.#log;
    const unavailable = new Map<string, ProviderFailure>();
    const records: AttemptRecord[] = [];
    let last: ProviderFailure | undefined;
    let calls = 0;
    for (const model of target.models) {
      for (let attempt = 0; attempt < retry.attempts; ) {
        const provider = this.#providers.find((p) => !unavailable.has(p.name));
        if (!provider) throw unavailableError(unavailable);
        const timeout = AbortSignal.timeout(timeoutMs);
        const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
        calls++;
        try {
          const result = await raceAbort(
            provider.run({ model, task: target.alias?.task, alias: target.name, input, stream, signal, gateway, openaiModel: target.alias?.openaiModel }),
            signal,
          );
          const output = result.kind === "json" ? shapeOutput(target.alias?.task, result.output, model) : undefined;
          return { result, output, model, provider: provider.name, attempts: calls };
        } catch (err) {
          if (options.signal?.aborted) throw options.signal.reason;
          const failure = toFailure(err, timeout.aborted, timeoutMs);
          if (failure.kind === "unavailable") {
            unavailable.set(provider.name, failure);
            log.warn("ai.provider_unavailable", { provider: provider.name, error: failure.message });
            continue;
          }
          last = failure;
          records.push({ model, provider: provider.name, error: `${failure.kind}: ${failure.message}` });
          log.warn("ai.attempt_failed", { alias: target.name, model, provider: provider.name, attempt: attempt + 1, kind: failure.kind, error: failure.message, providerRequestId: failure.requestId });
          attempt++;
          if (!failure.retryable || attempt >= retry.attempts) break;
          await sleep(backoffDelay(attempt - 1, retry), options.signal);
        }
      }
    }
    if (!last) throw unavailableError(unavailable);
    if (records.every((r) => r.error.startsWith("timeout:"))) throw new AiTimeoutError(timeoutMs, records);
    const chain = target.models.length > 1 ? ` (after trying ${target.models.join(", ")})` : "";
    throw new AiProviderError(`${last.message}${chain}`, last.requestId, records);
  }

  #account(log: Logger, target: Target, inf: Inference, stream: boolean, gatewayLogId?: string | null): void {
    log.info("ai.inference", {
      alias: target.name, model: inf.model, provider: inf.provider, stream, cached: inf.cached, attempts: inf.attempts,
      latencyMs: inf.latencyMs, usage: inf.usage, providerRequestId: inf.providerRequestId, ...(gatewayLogId ? { gatewayLogId } : {}),
    });
  }
}

function toFailure(err: unknown, timedOut: boolean, timeoutMs: number): ProviderFailure {
  if (timedOut) return new ProviderFailure("timeout", `No answer within ${timeoutMs} ms.`, err instanceof ProviderFailure ? err.requestId : null);
  if (err instanceof ProviderFailure) return err;
  // Anything else a provider lets through is treated as transient rather than crashing the request.
  return new ProviderFailure("transient", err instanceof Error ? err.message : String(err));
}

function unavailableError(unavailable: Map<string, ProviderFailure>): AiUnavailableError {
  const reasons = [...unavailable.entries()].map(([name, f]) => `${name}: ${f.message}`);
  const variables = [...new Set([...unavailable.values()].flatMap((f) => f.variables))];
  const detail = reasons.length > 0 ? `No AI provider is reachable. ${reasons.join(" | ")}` : "No AI provider is configured (AI_PROVIDERS is empty).";
  return new AiUnavailableError(detail, variables.length > 0 ? variables : ["AI_PROVIDERS", "AI_OPENAI_BASE_URL"]);
}

/** Characters of text in an input (every string leaf), the unit of the alias limits. */
export function textSize(v: unknown): number {
  if (typeof v === "string") return v.length;
  if (Array.isArray(v)) return v.reduce<number>((n, x) => n + textSize(x), 0);
  if (v !== null && typeof v === "object") return Object.values(v).reduce<number>((n, x) => n + textSize(x), 0);
  return 0;
}
