import { token } from "../app/token";
import type { AIManager } from "./manager";
import type { ResultDelivery } from "./queued";

export const AI = token<AIManager>("ai");
/** Where queued inference results go (events and live components; see delivery.ts). */
export const AI_RESULTS = token<ResultDelivery>("ai.results");
