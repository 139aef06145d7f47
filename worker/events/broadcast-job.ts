import type { StandardSchemaV1 } from "@standard-schema/spec";
import { defineJob } from "../queue/job";
import { LIVE_BROADCASTER } from "./broadcaster";
import type { BroadcastEvent, BroadcastTarget } from "./types";

export interface BroadcastJobPayload {
  target: BroadcastTarget;
  event: BroadcastEvent;
}

// Hand-written Standard Schema: the framework ships no validation library in the bundle.
const schema: StandardSchemaV1<BroadcastJobPayload> = {
  "~standard": {
    version: 1,
    vendor: "stratus",
    validate(value) {
      const v = value as Partial<BroadcastJobPayload> | null;
      const ok =
        typeof v === "object" && v !== null &&
        typeof v.target?.component === "string" && typeof v.target.key === "string" &&
        typeof v.event?.id === "string" && typeof v.event.name === "string" && typeof v.event.at === "number";
      return ok ? { value: v as BroadcastJobPayload } : { issues: [{ message: "Expected { target: { component, key }, event: { id, name, payload, at } }." }] };
    },
  },
};

/** Queued broadcasts: a live component receives the event with the queue's retries behind it. */
export const BROADCAST_JOB = defineJob({
  name: "stratus.broadcast",
  schema,
  tries: 5,
  backoff: { base: 1, max: 60 },
  timeout: 15,
  async handle({ target, event }, ctx) {
    await ctx.resolve(LIVE_BROADCASTER).broadcast(target, event);
  },
});
