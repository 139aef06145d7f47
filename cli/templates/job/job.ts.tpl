import * as v from "valibot";
import { defineJob } from "stratus/queue";

/** Dispatch it with `c.resolve(JOBS).dispatch({{job}}, { id: "..." })`. */
export const {{job}} = defineJob({
  name: "{{kebab}}",
  schema: v.object({ id: v.pipe(v.string(), v.minLength(1)) }),
  tries: 3,
  async handle(payload, ctx) {
    ctx.log.info("{{kebab}} ran", { id: payload.id, attempt: ctx.attempt });
  },
});
