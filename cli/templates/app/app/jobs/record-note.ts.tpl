import * as v from "valibot";
import { defineJob } from "stratus/queue";
import { NOTES } from "../db/tokens";

/** A queued job: stores a note. Retried with backoff on failure; recorded in failed_jobs when out of tries. */
export const recordNoteJob = defineJob({
  name: "record-note",
  schema: v.object({ text: v.pipe(v.string(), v.minLength(1), v.maxLength(280)) }),
  tries: 3,
  async handle({ text }, ctx) {
    await ctx.resolve(NOTES).create({ text });
  },
});
