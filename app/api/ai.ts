import * as v from "valibot";
import { validate, type Router } from "stratus";
import { AI } from "stratus/ai";

const summarizeBody = v.object({
  text: v.pipe(v.string(), v.minLength(1)),
  max_length: v.optional(v.pipe(v.number(), v.integer(), v.minValue(16), v.maxValue(1024))),
});

const chatBody = v.object({
  messages: v.pipe(
    v.array(v.object({ role: v.picklist(["system", "user", "assistant"]), content: v.pipe(v.string(), v.minLength(1)) })),
    v.minLength(1),
    v.maxLength(100),
  ),
  max_tokens: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(4096))),
  temperature: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(5))),
});

/** Reference routes: a validated, cached summary and a streamed chat. Size limits come from config/ai.ts (413). */
export function aiRoutes(router: Router): void {
  router.group("/api/ai", { name: "ai." }, (api) => {
    api.post("/summarize", validate({ body: summarizeBody }, async (c, { body }) => {
      const ai = c.resolve(AI);
      const input = body.max_length === undefined ? { input_text: body.text } : { input_text: body.text, max_length: body.max_length };
      const result = await ai.invoke("summarize", input, { log: c.log, requestId: c.requestId, waitUntil: (p) => c.ctx.waitUntil(p) });
      return Response.json(
        { summary: result.output.summary, model: result.model, cached: result.cached },
        { headers: { "x-ai-cache": result.cached ? "hit" : "miss" } },
      );
    }), { name: "summarize" });

    api.post("/chat", validate({ body: chatBody }, (c, { body }) => {
      const { messages, ...options } = body;
      return c.resolve(AI).stream("chat", { messages, ...options }, { log: c.log, requestId: c.requestId });
    }), { name: "chat" });
  });
}
