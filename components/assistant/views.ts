import { html, type Template } from "stratus/html";

export interface AssistantState {
  prompt: string;
  answer: string;
  /** The answer being streamed (its id), if any. */
  stream: string | null;
  status: "idle" | "streaming" | "done" | "failed";
  error?: string;
}

export const assistantView = (s: AssistantState): Template =>
  html`<section class="assistant" data-status="${s.status}"><form data-action="ask"><input name="prompt" value="${s.prompt}" autocomplete="off"><button>Ask</button></form><p class="answer">${s.answer}</p>${s.error ? html`<p class="error">${s.error}</p>` : ""}</section>`;
