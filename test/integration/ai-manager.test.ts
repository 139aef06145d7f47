import { beforeEach, describe, expect, it } from "vitest";
import { AiInputTooLargeError, AiProviderError, AiTimeoutError, AiUnavailableError, UnknownModelError } from "../../worker/ai/errors";
import { WorkersAiProvider } from "../../worker/ai/providers/workers-ai";
import { captureLogger, manager, standin } from "../support/ai";

beforeEach(async () => {
  await standin.__reset();
});

async function rejection(p: Promise<unknown>): Promise<Error & { status: number; extensions: Record<string, unknown> }> {
  try {
    await p;
  } catch (err) {
    return err as Error & { status: number; extensions: Record<string, unknown> };
  }
  throw new Error("expected a rejection");
}

describe("AIManager.run", () => {
  it("runs an alias with its default options and returns the typed output", async () => {
    const ai = manager();
    const out = await ai.run("chat", { prompt: "hello stratus" });
    expect(out.response).toBe("Echo: hello stratus");
    expect(out.usage).toEqual({ prompt_tokens: 2, completion_tokens: 3, total_tokens: 5 });
    const [call] = await standin.__calls();
    expect(call!.model).toBe("@cf/meta/llama-3.1-8b-instruct");
    expect(call!.inputs).toEqual({ prompt: "hello stratus", max_tokens: 512 });
    expect(call!.signal).toBe(true);
  });

  it("lets the caller's input override alias defaults and accepts raw model ids", async () => {
    const ai = manager();
    await ai.run("chat", { prompt: "x", max_tokens: 7 });
    const raw = await ai.run("@cf/mistral/mistral-7b-instruct-v0.1", { prompt: "raw call" });
    expect(raw).toEqual({ response: "Echo: raw call", usage: { prompt_tokens: 2, completion_tokens: 3, total_tokens: 5 } });
    const calls = await standin.__calls();
    expect(calls[0]!.inputs.max_tokens).toBe(7);
    expect(calls[1]!.model).toBe("@cf/mistral/mistral-7b-instruct-v0.1");
  });

  it("logs usage: model, provider, latency, attempts and tokens", async () => {
    const { log, lines } = captureLogger();
    await manager({ log }).run("chat", { prompt: "count my tokens" }, { requestId: "r1" });
    const entry = lines.find((l) => l.msg === "ai.inference");
    expect(entry).toMatchObject({ alias: "chat", model: "@cf/meta/llama-3.1-8b-instruct", provider: "workers-ai", cached: false, attempts: 1, providerRequestId: expect.stringMatching(/^standin-/) });
    expect(entry!.usage).toEqual({ prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 });
    expect(typeof entry!.latencyMs).toBe("number");
  });

  it("answers an unknown alias with 400 naming the known ones, before any model call", async () => {
    const err = await rejection(manager().run("chta" as "chat", { prompt: "x" }));
    expect(err).toBeInstanceOf(UnknownModelError);
    expect(err.status).toBe(400);
    expect(err.message).toContain("chat, summarize, embed, classify");
    expect(await standin.__calls()).toHaveLength(0);
  });

  it("rejects oversized input with 413 before any model call", async () => {
    const ai = manager({ vars: { AI_SUMMARIZE_MAX_CHARS: "100" } });
    const err = await rejection(ai.run("summarize", { input_text: "a".repeat(101) }));
    expect(err).toBeInstanceOf(AiInputTooLargeError);
    expect(err.status).toBe(413);
    expect(err.extensions).toMatchObject({ size: 101, limit: 100 });
    expect(await standin.__calls()).toHaveLength(0);
  });

  it("rejects a non-object input with 400", async () => {
    const err = await rejection(manager().run("chat", "just a string" as never));
    expect(err.status).toBe(400);
    expect(await standin.__calls()).toHaveLength(0);
  });
});

describe("retries, fallbacks and timeouts", () => {
  it("retries a rate limit with backoff, then succeeds", async () => {
    const { log, lines } = captureLogger();
    const inf = await manager({ log }).invoke("chat", { prompt: "busy [429x2#retry-ok]" });
    expect(inf.output.response).toContain("Echo: busy");
    expect(inf.attempts).toBe(3);
    expect(inf.model).toBe("@cf/meta/llama-3.1-8b-instruct");
    const failed = lines.filter((l) => l.msg === "ai.attempt_failed");
    expect(failed.map((l) => l.kind)).toEqual(["rate-limited", "rate-limited"]);
  });

  it("falls back to the next model once retries run out", async () => {
    const inf = await manager({ vars: { AI_RETRY_ATTEMPTS: "2" } }).invoke("chat", { prompt: "[429x2#fallback]" });
    expect(inf.model).toBe("@cf/meta/llama-3.2-3b-instruct");
    expect((await standin.__calls()).map((c) => c.model)).toEqual([
      "@cf/meta/llama-3.1-8b-instruct",
      "@cf/meta/llama-3.1-8b-instruct",
      "@cf/meta/llama-3.2-3b-instruct",
    ]);
  });

  it("does not retry a rejected input but falls back at once", async () => {
    const ai = manager({ vars: { AI_CHAT_MODELS: "@standin/invalid,@cf/meta/llama-3.1-8b-instruct" } });
    const inf = await ai.invoke("chat", { prompt: "hi" });
    expect(inf.model).toBe("@cf/meta/llama-3.1-8b-instruct");
    expect(inf.attempts).toBe(2);
  });

  it("turns a failing provider into a 502 with the provider's message and request id", async () => {
    const ai = manager({ vars: { AI_CHAT_MODELS: "@standin/fail" } });
    const err = await rejection(ai.run("chat", { prompt: "hi" }));
    expect(err).toBeInstanceOf(AiProviderError);
    expect(err.status).toBe(502);
    expect(err.message).toContain("3043: Internal server error (standin)");
    expect(err.extensions.providerRequestId).toMatch(/^standin-\d+$/);
    expect(err.extensions.attempts).toHaveLength(3);
    const res = (err as unknown as AiProviderError).toResponse("/x", { requestId: "req-1" });
    expect(await res.json()).toMatchObject({ status: 502, requestId: "req-1", detail: expect.stringContaining("3043") });
  });

  it("times an attempt out and answers 504 when every model is too slow", async () => {
    const ai = manager({ vars: { AI_CHAT_MODELS: "@standin/slow", AI_TIMEOUT_MS: "40" } });
    const err = await rejection(ai.run("chat", { prompt: "hi" }));
    expect(err).toBeInstanceOf(AiTimeoutError);
    expect(err.status).toBe(504);
    // A timeout moves on instead of retrying the same slow model.
    expect(await standin.__calls()).toHaveLength(1);
  });

  it("falls back from a slow model to a fast one", async () => {
    const ai = manager({ vars: { AI_CHAT_MODELS: "@standin/slow,@cf/meta/llama-3.1-8b-instruct", AI_TIMEOUT_MS: "40" } });
    const inf = await ai.invoke("chat", { prompt: "hi" });
    expect(inf.model).toBe("@cf/meta/llama-3.1-8b-instruct");
  });

  it("stops everything when the caller aborts", async () => {
    const controller = new AbortController();
    const ai = manager({ vars: { AI_CHAT_MODELS: "@standin/slow,@cf/meta/llama-3.1-8b-instruct" } });
    const pending = rejection(ai.run("chat", { prompt: "hi" }, { signal: controller.signal }));
    setTimeout(() => controller.abort(new Error("client went away")), 20);
    const err = await pending;
    expect(err.message).toBe("client went away");
    expect(await standin.__calls()).toHaveLength(1);
  });
});

describe("providers that cannot be reached", () => {
  it("answers 503 naming what to configure when no binding exists", async () => {
    const err = await rejection(manager({ providers: [new WorkersAiProvider(undefined)] }).run("chat", { prompt: "hi" }));
    expect(err).toBeInstanceOf(AiUnavailableError);
    expect(err.status).toBe(503);
    expect(err.message).toContain("wrangler login");
    expect(err.extensions.variables).toContain("AI");
  });

  it("recognises wrangler dev --local's 'needs to be run remotely' and names AI_OPENAI_BASE_URL", async () => {
    const ai = manager({ vars: { AI_CHAT_MODELS: "@standin/unavailable" } });
    const err = await rejection(ai.run("chat", { prompt: "hi" }));
    expect(err.status).toBe(503);
    expect(err.message).toContain("needs to be run remotely");
    expect(err.extensions.variables).toEqual(["AI_OPENAI_BASE_URL", "AI_OPENAI_MODEL_CHAT"]);
  });

  it("answers 503 when AI_PROVIDERS is empty", async () => {
    const err = await rejection(manager({ providers: [] }).run("chat", { prompt: "hi" }));
    expect(err.status).toBe(503);
    expect(err.message).toContain("AI_PROVIDERS");
  });
});
