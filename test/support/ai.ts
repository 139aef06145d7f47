// Helpers for AI tests: the stand-in's inspection surface, a manager over the
// real local bindings with config overrides, and a logger that keeps its lines.
import { env } from "cloudflare:workers";
import aiConfig from "../../worker/config/ai";
import { EnvReader } from "../../worker/app/config";
import { KvAiCache } from "../../worker/ai/cache";
import { AIManager, type AiConfig } from "../../worker/ai/manager";
import type { AiProvider } from "../../worker/ai/provider";
import { WorkersAiProvider, type AiBinding } from "../../worker/ai/providers/workers-ai";
import { Logger } from "../../worker/http/logger";

export interface StandInCall {
  model: string;
  inputs: Record<string, unknown>;
  gateway: Record<string, unknown> | null;
  signal: boolean;
  http?: string;
  auth?: string | null;
}

interface StandIn extends AiBinding {
  __calls(): Promise<StandInCall[]>;
  __reset(): Promise<void>;
}

declare global {
  namespace Cloudflare {
    interface Env {
      AI_OPENAI_STANDIN: Fetcher;
    }
  }
}

export const standin = env.AI as unknown as StandIn;

export function aiConfigWith(vars: Record<string, string> = {}): AiConfig {
  return aiConfig.load(new EnvReader({ AI_RETRY_BASE_MS: "1", AI_RETRY_MAX_MS: "5", ...vars }));
}

export function captureLogger(): { log: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  return { log: new Logger("debug", {}, (line) => lines.push(JSON.parse(line) as Record<string, unknown>)), lines };
}

export function manager(options: { vars?: Record<string, string>; providers?: AiProvider[]; cache?: boolean; log?: Logger } = {}): AIManager {
  return new AIManager({
    config: aiConfigWith(options.vars),
    providers: options.providers ?? [new WorkersAiProvider(standin)],
    ...(options.cache === false ? {} : { cache: new KvAiCache(env.CACHE, `test:${crypto.randomUUID()}:`) }),
    log: options.log ?? captureLogger().log,
  });
}

/** Reads a whole SSE body into its events. */
export async function sseEvents(body: ReadableStream<Uint8Array> | null): Promise<{ event: string; data: string }[]> {
  const text = await new Response(body).text();
  return text
    .split("\n\n")
    .filter((b) => b.trim() !== "")
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? "message";
      const data = block.split("\n").filter((l) => l.startsWith("data: ")).map((l) => l.slice(6)).join("\n");
      return { event, data };
    });
}
