import { defineModule } from "../app/module";
import { aiRoutes } from "./routes";
import { aiServiceProvider } from "./service-provider";

/** Workers AI for the app: the AIManager (`c.resolve(AI)`) and the reference /api/ai routes. */
export const aiModule = defineModule({ name: "ai", providers: [aiServiceProvider], routes: aiRoutes });

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
