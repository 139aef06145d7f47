// A deterministic local stand-in for the Workers AI binding (`env.AI`), bound
// in vitest.config.ts as a service binding to the `AiStandIn` entrypoint. It honours the `Ai.run(model,
// inputs, options)` contract of workerd's `cloudflare-internal:ai-api`:
// JSON outputs, `inputs.stream === true` returning server-sent-event bytes,
// errors thrown as `InferenceUpstreamError` / `AiError` with
// "<code>: <description>" messages, and `lastRequestId` / `aiGatewayLogId`.
//
// Test controls (all deterministic):
//   model "@standin/fail"         always throws a transient 3043 internal error
//   model "@standin/invalid"      always throws a 5006 input validation error
//   model "@standin/slow"         answers after `inputs.delay_ms` (default 5000) unless aborted
//   model "@standin/unavailable"  throws like `wrangler dev --local` does
//   text containing "[429xN#key]" the first N calls carrying that key throw 3040 (capacity)
//   text containing "[break@K]"   a stream emits K tokens, then errors
//   embeddings over 100 texts     5006 error, like bge's batch limit
// Inspection: `__calls()` lists every run, `__reset()` clears calls and counters.
// The default export's `fetch` is a small OpenAI-compatible HTTP server over the
// same behaviours (POST /v1/chat/completions, /v1/embeddings), for the HTTP provider.

import { WorkerEntrypoint } from "cloudflare:workers";

const encoder = new TextEncoder();
const EMBED_LIMIT = 100;
const EMBED_DIMS = 8;

class InferenceUpstreamError extends Error {
  constructor(message, name = "InferenceUpstreamError") {
    super(message);
    this.name = name;
  }
}

const state = { calls: [], counters: new Map(), seq: 0, lastRequestId: null, aiGatewayLogId: null };

function textOf(inputs) {
  if (Array.isArray(inputs.messages)) return inputs.messages.map((m) => m.content).join("\n");
  if (typeof inputs.prompt === "string") return inputs.prompt;
  if (typeof inputs.input_text === "string") return inputs.input_text;
  if (typeof inputs.text === "string") return inputs.text;
  if (Array.isArray(inputs.text)) return inputs.text.join("\n");
  return "";
}

function lastUserText(inputs) {
  if (Array.isArray(inputs.messages)) {
    const users = inputs.messages.filter((m) => m.role === "user");
    return users.length ? users[users.length - 1].content : "";
  }
  return textOf(inputs);
}

function taskOf(model) {
  if (/bart|summar/.test(model)) return "summarization";
  if (/bge|embed/.test(model)) return "embeddings";
  if (/distilbert|classif/.test(model)) return "classification";
  return "text-generation";
}

function words(text) {
  return text.split(/\s+/).filter(Boolean);
}

function vectorFor(text) {
  // A stable pseudo-embedding: character codes folded into a few dimensions.
  const v = new Array(EMBED_DIMS).fill(0);
  for (let i = 0; i < text.length; i++) v[i % EMBED_DIMS] += (text.charCodeAt(i) % 31) / 31;
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
}

function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(t);
      reject(signal.reason);
    });
  });
}

function reply(inputs) {
  const tokens = words(`Echo: ${lastUserText(inputs)}`).map((w, i) => (i === 0 ? w : ` ${w}`));
  const usage = { prompt_tokens: words(textOf(inputs)).length, completion_tokens: tokens.length, total_tokens: 0 };
  usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
  return { tokens, usage };
}

function sse(inputs) {
  const { tokens, usage } = reply(inputs);
  const breakAt = /\[break@(\d+)\]/.exec(textOf(inputs));
  const limit = breakAt ? Number(breakAt[1]) : Infinity;
  let i = 0;
  return new ReadableStream({
    async pull(controller) {
      await sleep(1);
      if (i >= limit) {
        controller.error(new InferenceUpstreamError("3043: stream interrupted (standin)", "AiError"));
        return;
      }
      if (i < tokens.length) {
        const bytes = encoder.encode(`data: ${JSON.stringify({ response: tokens[i], p: "abcdef".slice(0, i % 6) })}\n\n`);
        // Split every event across two chunks so consumers must buffer partial lines.
        const cut = Math.floor(bytes.length / 2);
        controller.enqueue(bytes.slice(0, cut));
        controller.enqueue(bytes.slice(cut));
        i++;
        return;
      }
      controller.enqueue(encoder.encode(`data: ${JSON.stringify({ response: "", usage })}\n\ndata: [DONE]\n\n`));
      controller.close();
    },
  });
}

export class AiStandIn extends WorkerEntrypoint {
  // Module state, not instance fields: every RPC call gets a fresh entrypoint instance.
  get lastRequestId() {
    return state.lastRequestId;
  }

  get aiGatewayLogId() {
    return state.aiGatewayLogId;
  }

  async run(model, inputs, options = {}) {
    return runModel(state, model, inputs, options);
  }

  __calls() {
    return state.calls.map((c) => ({ ...c }));
  }

  __reset() {
    state.calls = [];
    state.counters.clear();
  }
}

async function runModel(binding, model, inputs, options) {
    const signal = options.signal;
    state.calls.push({ model, inputs: structuredClone(inputs), gateway: options.gateway ?? null, signal: signal !== undefined });
    binding.lastRequestId = `standin-${++state.seq}`;
    binding.aiGatewayLogId = options.gateway ? `log-${state.seq}` : null;
    if (signal?.aborted) throw signal.reason;

    if (model === "@standin/unavailable") throw new Error("Binding AI needs to be run remotely");
    if (model === "@standin/fail") throw new InferenceUpstreamError("3043: Internal server error (standin)", "AiError");
    if (model === "@standin/invalid") throw new InferenceUpstreamError("5006: Input validation error: standin rejects every input", "AiError");
    if (model === "@standin/slow") await sleep(inputs.delay_ms ?? 5000, signal);

    const text = textOf(inputs);
    const limited = /\[429x(\d+)#([\w-]+)\]/.exec(text);
    if (limited) {
      const seen = state.counters.get(limited[2]) ?? 0;
      state.counters.set(limited[2], seen + 1);
      if (seen < Number(limited[1])) {
        throw new InferenceUpstreamError("3040: Capacity temporarily exceeded, please try again.", "AiError");
      }
    }

    switch (taskOf(model)) {
      case "summarization": {
        const max = inputs.max_length ?? 1024;
        return { summary: words(inputs.input_text ?? "").slice(0, Math.min(12, max)).join(" ") };
      }
      case "embeddings": {
        const texts = Array.isArray(inputs.text) ? inputs.text : [inputs.text];
        if (texts.length > EMBED_LIMIT) {
          throw new InferenceUpstreamError(`5006: Input validation error: at most ${EMBED_LIMIT} texts per request, got ${texts.length}`, "AiError");
        }
        return { shape: [texts.length, EMBED_DIMS], data: texts.map((t) => vectorFor(String(t))), pooling: "mean" };
      }
      case "classification": {
        const positive = /good|great|love|excellent|happy/i.test(text) ? 0.98 : 0.03;
        return [
          { label: "POSITIVE", score: positive },
          { label: "NEGATIVE", score: 1 - positive },
        ].sort((a, b) => b.score - a.score);
      }
      default: {
        if (inputs.stream === true) return sse(inputs);
        const { tokens, usage } = reply(inputs);
        return { response: tokens.join(""), usage };
      }
    }
}

// OpenAI-compatible surface over the same behaviours. Models: "standin-chat"
// (chat), "standin-embed" (embeddings), "standin-down" (always 503).
// Magic text works as above: "[429xN#key]" answers 429 the first N times.
async function openai(request) {
  const url = new URL(request.url);
  const body = await request.json();
  const json = (status, value, headers = {}) =>
    new Response(JSON.stringify(value), { status, headers: { "content-type": "application/json", "x-request-id": `oai-${++state.seq}`, ...headers } });
  state.calls.push({ model: body.model, inputs: body, gateway: null, signal: false, http: url.pathname, auth: request.headers.get("authorization") });
  if (body.model === "standin-down") return json(503, { error: { message: "model server overloaded (standin)" } });
  const text = Array.isArray(body.messages) ? body.messages.map((m) => m.content).join("\n") : JSON.stringify(body.input ?? "");
  const limited = /\[429x(\d+)#([\w-]+)\]/.exec(text);
  if (limited) {
    const seen = state.counters.get(limited[2]) ?? 0;
    state.counters.set(limited[2], seen + 1);
    if (seen < Number(limited[1])) return json(429, { error: { message: "rate limited (standin)" } });
  }
  if (url.pathname.endsWith("/embeddings")) {
    const inputs = Array.isArray(body.input) ? body.input : [body.input];
    return json(200, { object: "list", data: inputs.map((t, index) => ({ object: "embedding", index, embedding: vectorFor(String(t)) })) });
  }
  if (url.pathname.endsWith("/chat/completions")) {
    const { tokens, usage } = reply({ messages: body.messages });
    if (!body.stream) return json(200, { choices: [{ index: 0, message: { role: "assistant", content: tokens.join("") } }], usage });
    const events = tokens.map((t) => `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: t } }] })}\n\n`);
    events.push(`data: ${JSON.stringify({ choices: [{ index: 0, delta: {} }], usage })}\n\n`, "data: [DONE]\n\n");
    return new Response(events.join(""), { headers: { "content-type": "text/event-stream", "x-request-id": `oai-${++state.seq}` } });
  }
  return json(404, { error: { message: `no route ${url.pathname}` } });
}

export default {
  async fetch(request) {
    if (request.method !== "POST") return new Response("method not allowed", { status: 405 });
    return openai(request);
  },
};
