import { html, type Template } from "stratus/html";

export interface NotepadState {
  /** The owner's name, as of their latest note (the component loads it through the app's UserProvider). */
  owner: string | null;
  notes: { id: number; text: string }[];
  nextId: number;
}

/** Notepad's markup: a form that sends `note` over the component's socket. */
export const notepadView = (s: NotepadState): Template =>
  html`<div class="notepad"><h2 id="notepad-owner">${s.owner === null ? "Your notes" : `${s.owner}'s notes`}</h2>
<ul>${s.notes.map((n) => html`<li>${n.text}</li>`)}</ul>
<form data-action="note"><input name="text" required maxlength="500" aria-label="Note"><button>Add</button></form></div>`;
