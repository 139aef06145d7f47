import { ConfigError } from "../app/config";
import type { ServiceProvider } from "../app/service-provider";
import { CONFIG, ENV, LOGGER } from "../app/tokens";
import { KvAiCache } from "./cache";
import { AIManager, type AiConfig } from "./manager";
import type { AiProvider } from "./provider";
import { OpenAiCompatibleProvider } from "./providers/openai-compatible";
import { WorkersAiProvider, type AiBinding } from "./providers/workers-ai";
import { ResultListeners } from "./queued";
import { AI, AI_RESULTS } from "./tokens";

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

export const aiServiceProvider: ServiceProvider = {
  name: "ai",
  register(app) {
    app.container.singleton(AI, (c) => {
      const config = c.resolve(CONFIG);
      const env = c.resolve(ENV) as unknown as Record<string, unknown>;
      const kv = env[config.ai.cache.binding] as KVNamespace | undefined;
      return new AIManager({
        config: config.ai,
        providers: providersFrom(config.ai, env),
        ...(kv ? { cache: new KvAiCache(kv, config.ai.cache.prefix) } : {}),
        log: c.resolve(LOGGER),
      });
    });
    app.container.singleton(AI_RESULTS, () => new ResultListeners());
  },
  boot(app) {
    // Fail at boot, not on the first request, when AI_PROVIDERS names something unknown.
    app.resolve(AI);
  },
};
