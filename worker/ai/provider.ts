import type { AiGatewayOptions, AiTask } from "./types";

export interface ProviderRequest {
  model: string;
  /** Alias-level task when known; raw model ids have none and pass through. */
  task: AiTask | undefined;
  alias: string;
  input: Record<string, unknown>;
  stream: boolean;
  signal: AbortSignal;
  gateway: AiGatewayOptions | undefined;
  /** Model name for providers that do not speak Workers AI ids. */
  openaiModel: string | undefined;
}

export type ProviderResult =
  | { kind: "json"; output: unknown; requestId: string | null; gatewayLogId: string | null }
  | { kind: "stream"; body: ReadableStream<Uint8Array>; requestId: string | null; gatewayLogId: string | null };

/**
 * One way to reach models. Implementations throw only `ProviderFailure`, so
 * the manager can tell rate limits from bad input from an unreachable backend.
 */
export interface AiProvider {
  readonly name: string;
  run(request: ProviderRequest): Promise<ProviderResult>;
}
