import { HttpError } from "../http/errors";

/** The caller named an alias that config/ai.ts does not define. */
export class UnknownModelError extends HttpError {
  constructor(name: string, known: readonly string[]) {
    super(400, {
      detail: `Unknown AI model alias "${name}". Known aliases: ${known.join(", ")}; or pass a Workers AI model id such as "@cf/meta/llama-3.1-8b-instruct".`,
      extensions: { alias: name, known },
    });
  }
}

export class AiInputTooLargeError extends HttpError {
  constructor(size: number, limit: number, alias: string) {
    super(413, {
      detail: `The input for "${alias}" is ${size} characters; the limit is ${limit}.`,
      extensions: { size, limit, alias },
    });
  }
}

export interface AttemptRecord {
  model: string;
  provider: string;
  error: string;
}

/** The model provider answered with an error (after retries and fallbacks). */
export class AiProviderError extends HttpError {
  constructor(
    detail: string,
    readonly providerRequestId: string | null,
    attempts: readonly AttemptRecord[],
  ) {
    super(502, {
      detail,
      type: "https://stratus.dev/problems/ai-provider-error",
      extensions: { providerRequestId, attempts },
    });
  }
}

export class AiTimeoutError extends HttpError {
  constructor(timeoutMs: number, attempts: readonly AttemptRecord[]) {
    super(504, {
      detail: `No model answered within ${timeoutMs} ms (AI_TIMEOUT_MS).`,
      extensions: { timeoutMs, attempts },
    });
  }
}

/** No provider can be reached: says exactly what to configure. */
export class AiUnavailableError extends HttpError {
  constructor(detail: string, variables: readonly string[]) {
    super(503, { detail, type: "https://stratus.dev/problems/ai-unavailable", extensions: { variables } });
  }
}

/**
 * How a provider failed, so the manager knows whether to retry, fall back or
 * give up. Providers throw this; nothing else leaves a provider.
 */
export type FailureKind = "rate-limited" | "transient" | "rejected" | "unavailable" | "timeout";

export class ProviderFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly requestId: string | null = null,
    /** For "unavailable": the variables that would make the provider reachable. */
    readonly variables: readonly string[] = [],
  ) {
    super(message);
    this.name = "ProviderFailure";
  }

  get retryable(): boolean {
    return this.kind === "rate-limited" || this.kind === "transient";
  }
}
