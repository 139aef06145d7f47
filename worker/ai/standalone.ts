import aiConfig from "../config/ai";
import { EnvReader } from "../app/config";
import { Logger, type LogLevel } from "../http/logger";
import { KvAiCache } from "./cache";
import { AIManager, type AiConfig } from "./manager";
import { providersFrom } from "./providers";

/** Builds the manager from config and bindings: the container's factory and `aiFor` share it. */
export function createAiManager(config: AiConfig, env: Record<string, unknown>, log: Logger): AIManager {
  const kv = env[config.cache.binding] as KVNamespace | undefined;
  return new AIManager({ config, providers: providersFrom(config, env), ...(kv ? { cache: new KvAiCache(kv, config.cache.prefix) } : {}), log });
}

/**
 * An AIManager outside the application container, for Durable Objects (a live
 * component streaming an answer into its state) and scripts. Same config and
 * providers as `c.resolve(AI)`.
 */
export function aiFor(env: object, log?: Logger): AIManager {
  const raw = env as unknown as Record<string, unknown>;
  const level = (typeof raw.LOG_LEVEL === "string" ? raw.LOG_LEVEL : "info") as LogLevel;
  return createAiManager(aiConfig.load(new EnvReader(raw)), raw, log ?? new Logger(level, { component: "ai" }));
}
