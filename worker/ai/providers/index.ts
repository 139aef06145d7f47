import { ConfigError } from "../../app/config";
import type { AiConfig } from "../manager";
import type { AiProvider } from "../provider";
import { OpenAiCompatibleProvider } from "./openai-compatible";
import { WorkersAiProvider, type AiBinding } from "./workers-ai";

/** Builds the providers named in AI_PROVIDERS, in order; "openai" only when its base URL is set. */
export function providersFrom(config: AiConfig, env: Record<string, unknown>): AiProvider[] {
  const out: AiProvider[] = [];
  for (const name of config.providers) {
    if (name === "workers-ai") out.push(new WorkersAiProvider(env[config.binding] as AiBinding | undefined));
    else if (name === "openai") {
      if (config.openai.baseUrl) out.push(new OpenAiCompatibleProvider({ baseUrl: config.openai.baseUrl, apiKey: config.openai.apiKey }));
    } else throw new ConfigError("AI_PROVIDERS", `Unknown AI provider "${name}" in AI_PROVIDERS; use workers-ai and/or openai.`);
  }
  return out;
}
