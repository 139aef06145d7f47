/** What a model was asked to do; decides how inputs and outputs are shaped. */
export type AiTask = "text-generation" | "summarization" | "text-embeddings" | "text-classification";

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export interface ChatMessage {
  role: "system" | "user" | "assistant" | "tool";
  content: string;
}

/** Text generation: either a prompt or a conversation. Extra model options pass through. */
export type ChatInput = ({ prompt: string; messages?: never } | { messages: ChatMessage[]; prompt?: never }) & {
  max_tokens?: number;
  temperature?: number;
  top_p?: number;
  seed?: number;
};
export interface ChatOutput {
  response: string;
  usage?: Usage;
}

export interface SummarizeInput {
  input_text: string;
  max_length?: number;
}
export interface SummarizeOutput {
  summary: string;
}

export interface EmbedInput {
  text: string | string[];
}
export interface EmbedOutput {
  shape: [number, number];
  data: number[][];
}

export interface ClassifyInput {
  text: string;
}
export type ClassifyOutput = { label: string; score: number }[];

/** The aliases Stratus ships, with their typed inputs and outputs. */
export interface AiAliases {
  chat: { input: ChatInput; output: ChatOutput };
  summarize: { input: SummarizeInput; output: SummarizeOutput };
  embed: { input: EmbedInput; output: EmbedOutput };
  classify: { input: ClassifyInput; output: ClassifyOutput };
}
export type AiAlias = keyof AiAliases;

/** A raw Workers AI model id, e.g. "@cf/meta/llama-3.1-8b-instruct". */
export type ModelId = `@${string}`;

/** AI Gateway options passed through to the binding (see Workers AI `GatewayOptions`). */
export interface AiGatewayOptions {
  id: string;
  cacheKey?: string;
  cacheTtl?: number;
  skipCache?: boolean;
  metadata?: Record<string, number | string | boolean | null>;
  collectLog?: boolean;
  eventId?: string;
  requestTimeoutMs?: number;
}

export interface AiCacheSetting {
  /** Seconds; KV's minimum of 60 applies. */
  ttl: number;
}

/** One alias in config/ai.ts. */
export interface AliasConfig {
  task: AiTask;
  /** Fallback chain: the first model is tried first. */
  models: readonly string[];
  /** Default model inputs (max_tokens, temperature...); the caller's input wins. */
  defaults?: Readonly<Record<string, unknown>>;
  /** Largest input accepted, in characters of text, checked before any model is called. */
  maxInputChars: number;
  /** Texts per embeddings call (bge takes 100). */
  batchSize?: number;
  /** Cache outputs in KV for every call of this alias (a call can still opt out). */
  cache?: AiCacheSetting | false;
  gateway?: Partial<AiGatewayOptions>;
  /** Model name on the OpenAI-compatible provider (Ollama, llama.cpp), when it can serve this alias. */
  openaiModel?: string;
}
