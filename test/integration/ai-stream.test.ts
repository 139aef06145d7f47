import { beforeEach, describe, expect, it } from "vitest";
import { AiStreamError } from "../../worker/ai/stream";
import { captureLogger, manager, sseEvents, standin } from "../support/ai";

beforeEach(async () => {
  await standin.__reset();
});

describe("AIManager.stream", () => {
  it("streams tokens from the binding as normalised SSE", async () => {
    const stream = await manager().run("chat", { prompt: "one two three" }, { stream: true });
    expect(stream.model).toBe("@cf/meta/llama-3.1-8b-instruct");
    const res = stream.toResponse();
    expect(res.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    const events = await sseEvents(res.body);
    const tokens = events.filter((e) => e.data !== "[DONE]").map((e) => (JSON.parse(e.data) as { response: string }).response);
    expect(tokens.join("")).toBe("Echo: one two three");
    expect(events.at(-1)!.data).toBe("[DONE]");
    expect((await standin.__calls())[0]!.inputs.stream).toBe(true);
  });

  it("reads as text and logs usage with time to first byte", async () => {
    const { log, lines } = captureLogger();
    const stream = await manager({ log }).stream("chat", { messages: [{ role: "user", content: "tell me" }] });
    expect(await stream.text()).toBe("Echo: tell me");
    const entry = lines.find((l) => l.msg === "ai.inference");
    expect(entry).toMatchObject({ stream: true, model: "@cf/meta/llama-3.1-8b-instruct", usage: { prompt_tokens: 2, completion_tokens: 3, total_tokens: 5 } });
    expect(typeof entry!.firstByteMs).toBe("number");
  });

  it("ends with an SSE error event when the model's stream breaks midway", async () => {
    const { log, lines } = captureLogger();
    const stream = await manager({ log }).stream("chat", { prompt: "a b c d e f [break@3]" }, { requestId: "req-42" });
    const events = await sseEvents(stream.toResponse().body);
    expect(events.filter((e) => e.event === "message")).toHaveLength(3);
    const last = events.at(-1)!;
    expect(last.event).toBe("error");
    expect(JSON.parse(last.data)).toMatchObject({ status: 502, requestId: "req-42", providerRequestId: expect.stringMatching(/^standin-/) });
    expect(lines.find((l) => l.msg === "ai.stream_failed")).toBeDefined();
  });

  it("rejects the token iterator with AiStreamError on a broken stream", async () => {
    const stream = await manager().stream("chat", { prompt: "x y z [break@1]" });
    await expect(stream.text()).rejects.toBeInstanceOf(AiStreamError);
  });

  it("retries and falls back before the first byte", async () => {
    const stream = await manager({ vars: { AI_CHAT_MODELS: "@standin/invalid,@cf/meta/llama-3.1-8b-instruct" } }).stream("chat", { prompt: "[429x1#s1] go" });
    expect(await stream.text()).toBe("Echo: [429x1#s1] go");
    expect((await standin.__calls()).map((c) => c.model)).toEqual(["@standin/invalid", "@cf/meta/llama-3.1-8b-instruct", "@cf/meta/llama-3.1-8b-instruct"]);
  });

  it("refuses to stream an alias that is not text generation", async () => {
    await expect(manager().run("summarize" as "chat", { prompt: "x" }, { stream: true })).rejects.toMatchObject({ status: 400 });
    expect(await standin.__calls()).toHaveLength(0);
  });
});
