import * as z from "zod/mini";
import type { Router } from "../routing/router";
import { AI } from "./tokens";
import { validBody } from "./validate-local";

const summarizeBody = z.object({
  text: z.string().check(z.minLength(1)),
  max_length: z.optional(z.int().check(z.minimum(16), z.maximum(1024))),
});

const chatBody = z.object({
  messages: z.array(
    z.object({
      role: z.enum(["system", "user", "assistant"]),
      content: z.string().check(z.minLength(1)),
    }),
  ).check(z.minLength(1), z.maxLength(100)),
  max_tokens: z.optional(z.int().check(z.minimum(1), z.maximum(4096))),
  temperature: z.optional(z.number().check(z.minimum(0), z.maximum(5))),
});

/** Reference routes: a validated, cached summary and a streamed chat. Size limits come from config/ai.ts (413). */
export function aiRoutes(router: Router): void {
  router.group("/api/ai", { name: "ai." }, (api) => {
    api.post("/summarize", async (c) => {
      const body = await validBody(c, summarizeBody);
      const ai = c.resolve(AI);
      const input = body.max_length === undefined ? { input_text: body.text } : { input_text: body.text, max_length: body.max_length };
      const result = await ai.invoke("summarize", input, { log: c.log, requestId: c.requestId, waitUntil: (p) => c.ctx.waitUntil(p) });
      return Response.json(
        { summary: result.output.summary, model: result.model, cached: result.cached },
        { headers: { "x-ai-cache": result.cached ? "hit" : "miss" } },
      );
    }, { name: "summarize" });

    api.post("/chat", async (c) => {
      const body = await validBody(c, chatBody);
      const { messages, ...options } = body;
      return c.resolve(AI).stream("chat", { messages, ...options }, { log: c.log, requestId: c.requestId });
    }, { name: "chat" });
  });
}
