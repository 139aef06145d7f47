import { defineFrameworkConfig as defineConfig } from "../app/config";
import type { AiGatewayOptions, AliasConfig } from "../ai/types";

/**
 * Workers AI: aliases name what the app wants (chat, summarize...) and map to
 * model ids with defaults, limits, caching and a fallback chain. Providers are
 * tried in order; "openai" (any OpenAI-compatible server, e.g. Ollama) is used
 * only when AI_OPENAI_BASE_URL is set.
 */
export default defineConfig("ai", (env) => {
  const gatewayId = env.optional("AI_GATEWAY_ID");
  const gatewayTtl = env.optional("AI_GATEWAY_CACHE_TTL");
  const gateway: AiGatewayOptions | undefined = gatewayId
    ? { id: gatewayId, ...(gatewayTtl ? { cacheTtl: Number(gatewayTtl) } : {}), skipCache: env.bool("AI_GATEWAY_SKIP_CACHE", false) }
    : undefined;
  const aliases = {
    chat: {
      task: "text-generation",
      models: env.list("AI_CHAT_MODELS", ["@cf/meta/llama-3.1-8b-instruct", "@cf/meta/llama-3.2-3b-instruct"]),
      defaults: { max_tokens: 512 },
      maxInputChars: env.int("AI_CHAT_MAX_CHARS", 24_000, { min: 1 }),
      cache: false,
      openaiModel: env.optional("AI_OPENAI_MODEL_CHAT"),
    },
    summarize: {
      task: "summarization",
      models: env.list("AI_SUMMARIZE_MODELS", ["@cf/facebook/bart-large-cnn"]),
      defaults: { max_length: 256 },
      maxInputChars: env.int("AI_SUMMARIZE_MAX_CHARS", 20_000, { min: 1 }),
      cache: { ttl: 86_400 },
      openaiModel: env.optional("AI_OPENAI_MODEL_CHAT"),
    },
    embed: {
      task: "text-embeddings",
      models: env.list("AI_EMBED_MODELS", ["@cf/baai/bge-base-en-v1.5"]),
      maxInputChars: env.int("AI_EMBED_MAX_CHARS", 200_000, { min: 1 }),
      batchSize: 100,
      cache: { ttl: 86_400 },
      openaiModel: env.optional("AI_OPENAI_MODEL_EMBED"),
    },
    classify: {
      task: "text-classification",
      models: env.list("AI_CLASSIFY_MODELS", ["@cf/huggingface/distilbert-sst-2-int8"]),
      maxInputChars: env.int("AI_CLASSIFY_MAX_CHARS", 4_000, { min: 1 }),
      cache: { ttl: 3_600 },
    },
  } satisfies Record<string, AliasConfig>;
  return {
    binding: "AI" as const,
    providers: env.list("AI_PROVIDERS", ["workers-ai", "openai"]),
    openai: {
      baseUrl: env.optional("AI_OPENAI_BASE_URL"),
      apiKey: env.optional("AI_OPENAI_API_KEY"),
    },
    aliases: aliases as Record<keyof typeof aliases, AliasConfig>,
    gateway,
    /** Per attempt; a slow model then falls back to the next in its chain. */
    timeoutMs: env.int("AI_TIMEOUT_MS", 30_000, { min: 1 }),
    /** Longest silence inside a stream before it ends with an error event. */
    streamIdleMs: env.int("AI_STREAM_IDLE_MS", 30_000, { min: 1 }),
    retry: {
      attempts: env.int("AI_RETRY_ATTEMPTS", 3, { min: 1, max: 10 }),
      baseMs: env.int("AI_RETRY_BASE_MS", 250, { min: 0 }),
      maxMs: env.int("AI_RETRY_MAX_MS", 4_000, { min: 0 }),
    },
    cache: {
      binding: "CACHE" as const,
      prefix: `${env.string("CACHE_PREFIX", "stratus:")}ai:`,
    },
    /** Limit for raw model ids, which have no alias limit. */
    maxInputChars: env.int("AI_MAX_INPUT_CHARS", 100_000, { min: 1 }),
  };
});
