import * as v from "valibot";
import { aiFor, componentSink, streamInto, type AIManager, type InferenceResult } from "stratus/ai";
import { action, Component, type BroadcastEvent, type Caller } from "stratus/live";
import { assistantView, type AssistantState } from "./views";

type Event =
  | { type: "asked"; stream: string; prompt: string }
  | { type: "streamed"; stream: string; delta: string }
  | { type: "answered"; stream: string }
  | { type: "failed"; stream: string; error: string }
  | { type: "delivered"; stream: string; answer: string };

/** Milliseconds between two committed text updates: tokens inside one window share an event and a frame. */
const FLUSH_MS = 100;

/**
 * The reference AI component: `ask` starts a streamed chat answer, and every
 * connected browser watches the answer grow. Tokens are coalesced per flush
 * window into `streamText` actions (one event each), so a 500-token answer is
 * a few dozen events and frames, not 500.
 */
export class Assistant extends Component<Env, AssistantState, Event> {
  #ai: AIManager | undefined;

  initial(): AssistantState {
    return { prompt: "", answer: "", stream: null, status: "idle" };
  }

  apply(s: AssistantState, e: Event): AssistantState {
    if (e.type === "asked") return { prompt: e.prompt, answer: "", stream: e.stream, status: "streaming" };
    if (e.type === "delivered") return { prompt: s.prompt, answer: e.answer, stream: e.stream, status: "done" };
    // Updates of a stream that is no longer current (a newer question was asked) are ignored.
    if (e.stream !== s.stream) return s;
    switch (e.type) {
      case "streamed":
        return { ...s, answer: s.answer + e.delta };
      case "answered":
        return { ...s, status: "done" };
      case "failed":
        return { ...s, status: "failed", error: e.error };
    }
  }

  /** A queued answer (`ai.queue("chat", ..., { onResult: { kind: "component", component: "assistant", key } })`). */
  override onEvent(event: BroadcastEvent): Event[] | void {
    if (event.name !== "ai.result") return;
    const result = event.payload as InferenceResult;
    if (!result.ok) return [{ type: "asked", stream: result.jobId, prompt: "" }, { type: "failed", stream: result.jobId, error: result.error.detail }];
    const answer = (result.output as { response?: unknown }).response;
    return [{ type: "delivered", stream: result.jobId, answer: typeof answer === "string" ? answer : JSON.stringify(result.output) }];
  }

  actions = {
    ask: action(v.object({ prompt: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(4000)) }), (_s: AssistantState, { prompt }) => {
      const stream = crypto.randomUUID();
      // Starts after this action's event is committed: the first await inside is the model call.
      this.ctx.waitUntil(this.#answer(stream, prompt));
      return [{ type: "asked", stream, prompt } as const];
    }),
    // Fed by componentSink only (see authorize): text arrives coalesced, with a per-stream seq for idempotency.
    streamText: action(
      v.object({ stream: v.string(), delta: v.string(), seq: v.number(), done: v.boolean(), error: v.optional(v.string()) }),
      (_s: AssistantState, a): Event[] => {
        const out: Event[] = [];
        if (a.delta) out.push({ type: "streamed", stream: a.stream, delta: a.delta });
        if (a.error !== undefined) out.push({ type: "failed", stream: a.stream, error: a.error });
        else if (a.done) out.push({ type: "answered", stream: a.stream });
        return out;
      },
    ),
  };

  override authorize(caller: Caller, name: string): boolean {
    return name !== "streamText" || (caller.via === "rpc" && caller.id === "ai");
  }

  render(s: AssistantState) {
    return assistantView(s);
  }

  async #answer(stream: string, prompt: string): Promise<void> {
    const sink = componentSink(this, "streamText", stream);
    try {
      this.#ai ??= aiFor(this.env);
      const answer = await this.#ai.stream("chat", { prompt });
      await streamInto(answer, sink, { flushMs: FLUSH_MS });
    } catch (err) {
      // streamInto has already told the sink about a mid-stream failure; this covers failures before the first token.
      if (this.state.stream === stream && this.state.status === "streaming") {
        await sink.fail?.(err instanceof Error ? err : new Error(String(err)), "");
      }
    }
  }
}
