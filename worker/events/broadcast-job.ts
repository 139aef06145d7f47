import type { StandardSchemaV1 } from "@standard-schema/spec";
import { defineJob } from "../queue/job";
import { LIVE_BROADCASTER } from "./broadcaster";
import { TOPICS } from "./topics";
import type { BroadcastEvent, BroadcastTarget, TopicTarget } from "./types";

export interface BroadcastJobPayload {
  /** One instance, or a topic (its registry delivers to every subscribed instance). */
  target: BroadcastTarget | TopicTarget;
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
        typeof v.target === "object" && v.target !== null &&
        ("topic" in v.target ? typeof v.target.topic === "string" : typeof v.target.component === "string" && typeof v.target.key === "string") &&
        typeof v.event?.id === "string" && typeof v.event.name === "string" && typeof v.event.at === "number";
      return ok ? { value: v as BroadcastJobPayload } : { issues: [{ message: "Expected { target: { component, key } or { topic }, event: { id, name, payload, at } }." }] };
    },
  },
};

/** Queued broadcasts: a live component (or a topic's registry) receives the event with the queue's retries behind it. */
export const BROADCAST_JOB = defineJob({
  name: "stratus.broadcast",
  schema,
  tries: 5,
  backoff: { base: 1, max: 60 },
  timeout: 15,
  async handle({ target, event }, ctx) {
    const broadcaster = ctx.resolve(LIVE_BROADCASTER);
    // A topic's registry logs the event once (a retried job publishes nothing twice) and delivers it to each subscriber.
    if ("topic" in target) await ctx.resolve(TOPICS).publish(target.topic, event, broadcaster.directory?.() ?? {});
    else await broadcaster.broadcast(target, event);
  },
});
