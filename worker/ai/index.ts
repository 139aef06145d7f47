import { defineModule } from "../app/module";
import { aiServiceProvider } from "./service-provider";

/** `stratus/ai`: Workers AI behind one manager (`c.resolve(AI)`), queued inference and streaming into live components. */
export const aiModule = defineModule({ name: "ai", providers: [aiServiceProvider] });

export { AI, AI_RESULTS } from "./tokens";
export { AIManager, type Inference, type RunOptions, type StreamOptions } from "./manager";
export { AiStream, AiStreamError } from "./stream";
export { embedMany, cosineSimilarity, topK } from "./embeddings";
export { CoalescingTokenBuffer, type TextUpdate } from "./coalesce";
export { streamInto, type TextSink } from "./live";
export { componentSink, type ActionTarget, type StreamTextArgs } from "./component-sink";
export { aiFor, createAiManager } from "./standalone";
export { handleInferenceJob, type InferenceJob, type InferenceDispatcher, type ResultDelivery, type DeliveryTarget, type InferenceResult } from "./queued";
export { AiResultDelivery } from "./delivery";
export { aiInferenceJob } from "./queue-job";
export type { AiProvider } from "./provider";
export type * from "./types";
