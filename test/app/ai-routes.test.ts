import { exports } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { sseEvents, standin } from "../support/ai";

beforeEach(async () => {
  await standin.__reset();
});

function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return exports.default.fetch(`http://example.com${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

describe("POST /api/ai/summarize", () => {
  it("summarizes validated input and caches the output", async () => {
    const text = `Stratus routes requests at the edge ${crypto.randomUUID()} and keeps live state in Durable Objects for every component.`;
    const first = await post("/api/ai/summarize", { text });
    expect(first.status).toBe(200);
    expect(first.headers.get("x-ai-cache")).toBe("miss");
    const body = await first.json<{ summary: string; model: string; cached: boolean }>();
    expect(body).toMatchObject({ model: "@cf/facebook/bart-large-cnn", cached: false });
    expect(body.summary).toMatch(/^Stratus routes requests/);
    const second = await post("/api/ai/summarize", { text });
    expect(second.headers.get("x-ai-cache")).toBe("hit");
    expect((await second.json<{ summary: string }>()).summary).toBe(body.summary);
    expect(await standin.__calls()).toHaveLength(1);
    expect((await standin.__calls())[0]!.inputs).toEqual({ input_text: text, max_length: 256 });
  });

  it("answers 422 with field errors for a body that fails the schema", async () => {
    const res = await post("/api/ai/summarize", { text: "", max_length: 5 });
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    const problem = await res.json<{ errors: { path: string }[] }>();
    expect(problem.errors.map((e) => e.path).sort()).toEqual(["/max_length", "/text"]);
    expect(await standin.__calls()).toHaveLength(0);
  });

  it("answers 413 for text over the alias limit, before any model call", async () => {
    const res = await post("/api/ai/summarize", { text: "x".repeat(20_001) });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ status: 413, limit: 20_000, alias: "summarize" });
    expect(await standin.__calls()).toHaveLength(0);
  });

  it("answers 400 for malformed JSON and 415 for a non-JSON body", async () => {
    expect((await post("/api/ai/summarize", "{not json")).status).toBe(400);
    const res = await post("/api/ai/summarize", "text=hi", { "content-type": "application/x-www-form-urlencoded" });
    expect(res.status).toBe(415);
  });
});

describe("POST /api/ai/chat", () => {
  it("answers text/event-stream with the model's tokens", async () => {
    const res = await post("/api/ai/chat", { messages: [{ role: "user", content: "stream this please" }] });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(res.headers.get("x-ai-model")).toBe("@cf/meta/llama-3.1-8b-instruct");
    const events = await sseEvents(res.body);
    const text = events.filter((e) => e.data !== "[DONE]").map((e) => (JSON.parse(e.data) as { response: string }).response).join("");
    expect(text).toBe("Echo: stream this please");
    expect(events.at(-1)!.data).toBe("[DONE]");
  });

  it("ends the SSE stream with an error event when the model fails midway", async () => {
    const res = await post("/api/ai/chat", { messages: [{ role: "user", content: "a b c d [break@2]" }] }, { "x-request-id": "chat-req-1" });
    expect(res.status).toBe(200);
    const events = await sseEvents(res.body);
    expect(events.filter((e) => e.event === "message")).toHaveLength(2);
    expect(events.at(-1)!.event).toBe("error");
    expect(JSON.parse(events.at(-1)!.data)).toMatchObject({ status: 502, requestId: "chat-req-1" });
  });

  it("answers 502 problem+json with the provider's message and request ids when every model fails", async () => {
    const res = await post("/api/ai/chat", { messages: [{ role: "user", content: "[429x99#route-502] hi" }] }, { "x-request-id": "chat-req-2" });
    expect(res.status).toBe(502);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    const problem = await res.json<{ detail: string; requestId: string; providerRequestId: string; attempts: unknown[] }>();
    expect(problem.detail).toContain("3040: Capacity temporarily exceeded");
    expect(problem.requestId).toBe("chat-req-2");
    expect(problem.providerRequestId).toMatch(/^standin-\d+$/);
    expect(problem.attempts).toHaveLength(6);
  });

  it("answers 422 for a conversation that fails the schema, before any model call", async () => {
    const res = await post("/api/ai/chat", { messages: [{ role: "robot", content: "hi" }] });
    expect(res.status).toBe(422);
    expect((await post("/api/ai/chat", { messages: [] })).status).toBe(422);
    expect(await standin.__calls()).toHaveLength(0);
  });

  it("answers 413 for a conversation over the chat limit", async () => {
    const res = await post("/api/ai/chat", { messages: [{ role: "user", content: "y".repeat(24_001) }] });
    expect(res.status).toBe(413);
    expect(await standin.__calls()).toHaveLength(0);
  });
});
