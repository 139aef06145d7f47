import type { LiveBroadcaster } from "../events/broadcaster";
import type { EventDispatcher } from "../events/dispatcher";
import type { DeliveryTarget, InferenceResult, ResultDelivery } from "./queued";

export interface AiResultDeliveryDeps {
  /** Lazy, so the AI module works without the events module until a result needs delivering. */
  events?: () => EventDispatcher<Record<string, unknown>>;
  broadcaster?: () => LiveBroadcaster;
}

/**
 * Delivers queued inference results through the events system: a listener
 * target is an application event, a component target a broadcast to that
 * instance (idempotent by job id, so a redelivered job never applies twice).
 */
export class AiResultDelivery implements ResultDelivery {
  readonly #deps: AiResultDeliveryDeps;

  constructor(deps: AiResultDeliveryDeps) {
    this.#deps = deps;
  }

  async deliver(target: DeliveryTarget, result: InferenceResult): Promise<void> {
    if (target.kind === "component") {
      if (!this.#deps.broadcaster) throw new Error(`Delivering to ${target.component}/${target.key} needs the events module (LIVE_BROADCASTER).`);
      await this.#deps.broadcaster().broadcast(
        { component: target.component, key: target.key },
        { id: `ai:${result.jobId}`, name: target.event ?? "ai.result", payload: result, at: Date.now() },
      );
      return;
    }
    if (!this.#deps.events) throw new Error(`Delivering to listener "${target.name}" needs the events module (EVENTS).`);
    const outcome = await this.#deps.events().dispatch(target.name, result);
    if (outcome.ran + outcome.queued + outcome.broadcast === 0) throw new Error(`No listener for "${target.name}" heard AI result ${result.jobId}.`);
    // A throwing listener fails the job, so the queue retries it (listeners should be idempotent: delivery is at least once).
    if (outcome.failed > 0) throw new Error(`${outcome.failed} listener(s) for "${target.name}" failed on AI result ${result.jobId}.`);
  }
}
