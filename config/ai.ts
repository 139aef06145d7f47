import { defineConfig } from "../worker/app/config";

export default defineConfig("ai", (env) => ({
  binding: "AI" as const,
  /** Aliases map to Workers AI model ids; the AI issue fills in options and fallbacks. */
  aliases: {
    chat: "@cf/meta/llama-3.1-8b-instruct",
    summarize: "@cf/facebook/bart-large-cnn",
    embed: "@cf/baai/bge-base-en-v1.5",
    classify: "@cf/huggingface/distilbert-sst-2-int8",
  },
  gatewayId: env.optional("AI_GATEWAY_ID"),
  timeoutMs: env.int("AI_TIMEOUT_MS", 30_000, { min: 100 }),
}));
