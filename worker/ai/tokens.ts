import { token } from "../app/token";
import type { AIManager } from "./manager";
import type { ResultListeners } from "./queued";

export const AI = token<AIManager>("ai");
/** Listeners for queued inference results. */
export const AI_RESULTS = token<ResultListeners>("ai.results");
