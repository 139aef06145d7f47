import * as v from "valibot";
import { defineJob } from "../queue/job";
import { MAILER } from "./tokens";

const address = v.object({ name: v.string(), email: v.string() });

/** Queued mail: rendered when queued (the template's data need not survive JSON), sent by the consumer. */
export const sendMailJob = defineJob({
  name: "stratus.mail.send",
  schema: v.object({
    from: address,
    to: v.pipe(v.array(address), v.minLength(1)),
    cc: v.array(address),
    bcc: v.array(address),
    replyTo: v.optional(address),
    subject: v.string(),
    html: v.string(),
    text: v.string(),
  }),
  tries: 5,
  backoff: { base: 10, max: 600 },
  async handle(mail, ctx) {
    await ctx.resolve(MAILER).deliver(mail);
  },
});
