import * as v from "valibot";
import { defineModule, json, validate } from "stratus";
import { COMPONENTS, html } from "stratus/html";
import { JOBS } from "stratus/queue";
import { NOTES } from "../db/tokens";
import { recordNoteJob } from "../jobs/record-note";
import { pages } from "../views/layout";

const NoteInput = v.object({ text: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(280)) });

/** The home page: a live counter (one Durable Object) and the latest notes (D1), added through a job. */
export const homePage = defineModule({
  name: "home",
  routes(router) {
    router.get(
      "/",
      async (c) => {
        const counter = c.resolve(COMPONENTS).live("counter", "main");
        const notes = await c.resolve(NOTES).latest(10);
        return pages.view(
          html`<section><h2>Counter</h2>${counter}</section>
<section><h2>Notes</h2><ul id="notes">${notes.map((n) => html`<li>${n.text}</li>`)}</ul>
<p>POST JSON <code>{"text": "..."}</code> to <code>/notes</code>: a queued job stores it.</p></section>`,
          { title: c.config.app.name },
        );
      },
      { name: "home" },
    );
    router.post(
      "/notes",
      validate({ body: NoteInput }, async (c, { body }) => {
        const { id } = await c.resolve(JOBS).dispatch(recordNoteJob, body);
        return json({ queued: id }, { status: 202 });
      }),
      { name: "notes.store" },
    );
  },
});
