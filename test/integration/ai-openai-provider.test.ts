import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { OpenAiCompatibleProvider } from "../../worker/ai/providers/openai-compatible";
import { WorkersAiProvider } from "../../worker/ai/providers/workers-ai";
import { providersFrom } from "../../worker/ai/providers";
import { aiConfigWith, manager, standin } from "../support/ai";

const vars = { AI_OPENAI_MODEL_CHAT: "standin-chat", AI_OPENAI_MODEL_EMBED: "standin-embed" };

function openai(apiKey?: string): OpenAiCompatibleProvider {
  return new OpenAiCompatibleProvider({ baseUrl: "http://ollama.local/v1/", apiKey, fetch: (r) => env.AI_OPENAI_STANDIN.fetch(r) });
}

beforeEach(async () => {
  await standin.__reset();
});

describe("OpenAI-compatible provider", () => {
  it("serves chat through /chat/completions with the alias's model and the bearer key", async () => {
    const ai = manager({ vars, providers: [openai("sk-local")] });
    const inf = await ai.invoke("chat", { messages: [{ role: "user", content: "offline please" }] });
    expect(inf.output).toEqual({ response: "Echo: offline please", usage: { prompt_tokens: 2, completion_tokens: 3, total_tokens: 5 } });
    expect(inf.provider).toBe("openai");
    const [call] = await standin.__calls();
    expect(call).toMatchObject({ model: "standin-chat", http: "/v1/chat/completions", auth: "Bearer sk-local" });
    expect(call!.inputs).toMatchObject({ max_tokens: 512, stream: false });
  });

  it("summarizes through a chat prompt and embeds through /embeddings", async () => {
    const ai = manager({ vars, providers: [openai()], cache: false });
    expect((await ai.run("summarize", { input_text: "long text" })).summary).toMatch(/^Echo: /);
    const emb = await ai.run("embed", { text: ["a", "b"] });
    expect(emb.shape).toEqual([2, 8]);
    expect((await standin.__calls()).map((c) => c.http)).toEqual(["/v1/chat/completions", "/v1/embeddings"]);
  });

  it("streams OpenAI deltas as the same normalised SSE", async () => {
    const stream = await manager({ vars, providers: [openai()] }).stream("chat", { prompt: "stream offline" });
    expect(await stream.text()).toBe("Echo: stream offline");
  });

  it("retries a 429 and succeeds", async () => {
    const inf = await manager({ vars, providers: [openai()] }).invoke("chat", { prompt: "[429x1#oai] hi" });
    expect(inf.attempts).toBe(2);
  });

  it("turns a server error into a 502 with the server's message and request id", async () => {
    const ai = manager({ vars: { ...vars, AI_OPENAI_MODEL_CHAT: "standin-down" }, providers: [openai()] });
    await expect(ai.run("chat", { prompt: "hi" })).rejects.toMatchObject({
      status: 502,
      message: expect.stringContaining("503: model server overloaded (standin)"),
      extensions: expect.objectContaining({ providerRequestId: expect.stringMatching(/^oai-/) }),
    });
  });

  it("says which variable to set when an alias has no OpenAI model", async () => {
    const ai = manager({ providers: [openai()] });
    await expect(ai.run("chat", { prompt: "hi" })).rejects.toMatchObject({ status: 503, extensions: { variables: ["AI_OPENAI_MODEL_CHAT"] } });
    await expect(ai.run("classify", { text: "hi" })).rejects.toMatchObject({ status: 503, message: expect.stringContaining('cannot serve "classify"') });
  });

  it("answers 503 naming AI_OPENAI_BASE_URL when the server is not running", async () => {
    const down = new OpenAiCompatibleProvider({ baseUrl: "http://127.0.0.1:9/v1", fetch: () => Promise.reject(new TypeError("connect ECONNREFUSED")) });
    await expect(manager({ vars, providers: [down] }).run("chat", { prompt: "hi" })).rejects.toMatchObject({
      status: 503,
      message: expect.stringContaining("AI_OPENAI_BASE_URL=http://127.0.0.1:9/v1"),
      extensions: { variables: ["AI_OPENAI_BASE_URL"] },
    });
  });

  it("takes over when Workers AI is not reachable (wrangler dev --local)", async () => {
    const ai = manager({ vars: { ...vars, AI_CHAT_MODELS: "@standin/unavailable" }, providers: [new WorkersAiProvider(standin), openai()] });
    const inf = await ai.invoke("chat", { prompt: "fallback provider" });
    expect(inf.provider).toBe("openai");
    expect(inf.output.response).toBe("Echo: fallback provider");
  });
});

describe("providersFrom(config)", () => {
  it("adds the OpenAI-compatible provider only when AI_OPENAI_BASE_URL is set", () => {
    expect(providersFrom(aiConfigWith(), { AI: standin }).map((p) => p.name)).toEqual(["workers-ai"]);
    expect(providersFrom(aiConfigWith({ AI_OPENAI_BASE_URL: "http://localhost:11434/v1" }), {}).map((p) => p.name)).toEqual(["workers-ai", "openai"]);
    expect(providersFrom(aiConfigWith({ AI_PROVIDERS: "openai", AI_OPENAI_BASE_URL: "http://x/v1" }), {}).map((p) => p.name)).toEqual(["openai"]);
  });

  it("fails at boot on an unknown provider name", () => {
    expect(() => providersFrom(aiConfigWith({ AI_PROVIDERS: "workers-ai,gpt" }), {})).toThrow(/Unknown AI provider "gpt"/);
  });
});
