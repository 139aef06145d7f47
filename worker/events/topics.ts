import type { Published, TopicRegistry, TopicResult, TopicSubscriber } from "../../durable-objects/cluster/topic-registry";
import type { TopicDirectory } from "../../durable-objects/cluster/topic-log";
import type { BroadcastEvent } from "./types";
import { parsePattern, parseTopic, topicRoot, TopicError } from "../../durable-objects/cluster/topic-pattern";
import { token } from "../app/token";

export { TopicError } from "../../durable-objects/cluster/topic-pattern";

/** The binding the topic registry objects live in (class TopicRegistry, exported by the Worker entry). */
export { TOPICS_BINDING } from "../../durable-objects/cluster/bindings";
import { TOPICS_BINDING } from "../../durable-objects/cluster/bindings";

/**
 * Topic subscriptions, from the Worker or from inside a component: one
 * registry object per topic root holds them durably. A component subscribes
 * under the (component, key) broadcasts address it by:
 * `await new Topics(this.env.TOPICS).subscribe("project.*", { component: "board", key })`.
 */
export class Topics {
  readonly #ns: DurableObjectNamespace<TopicRegistry>;

  constructor(ns: DurableObjectNamespace<TopicRegistry>) {
    this.#ns = ns;
  }

  static fromEnv(env: object): Topics {
    const ns = (env as Record<string, unknown>)[TOPICS_BINDING] as { getByName?: unknown } | undefined;
    if (!ns || typeof ns.getByName !== "function") {
      throw new Error(`Topics need the ${TOPICS_BINDING} Durable Object binding (class TopicRegistry, exported by the Worker entry): declare it in wrangler.toml.`);
    }
    return new Topics(ns as DurableObjectNamespace<TopicRegistry>);
  }

  /** True when the subscription is new. Throws TopicError for a bad pattern. */
  async subscribe(pattern: string, subscriber: TopicSubscriber): Promise<boolean> {
    parsePattern(pattern);
    return unwrap(await this.#registry(pattern).subscribe(pattern, subscriber));
  }

  async unsubscribe(pattern: string, subscriber: TopicSubscriber): Promise<boolean> {
    parsePattern(pattern);
    return unwrap(await this.#registry(pattern).unsubscribe(pattern, subscriber));
  }

  /** Every instance subscribed to `topic`, each once. */
  async subscribers(topic: string): Promise<TopicSubscriber[]> {
    parseTopic(topic);
    return unwrap(await this.#registry(topic).subscribers(topic));
  }

  /**
   * Delivers `event` once to every instance subscribed to `topic`, through the topic root's registry:
   * it logs the event (idempotent by event id) and pushes it down its tree; resolves once it is
   * logged, with how many instances it goes to. `directory` says where components live (the
   * LiveBroadcaster's `directory()`).
   */
  async publish(topic: string, event: BroadcastEvent, directory: TopicDirectory): Promise<Published> {
    parseTopic(topic);
    return unwrap(await this.#registry(topic).publish(topic, event, directory));
  }

  #registry(topicOrPattern: string): DurableObjectStub<TopicRegistry> {
    return this.#ns.getByName(topicRoot(topicOrPattern));
  }
}

function unwrap<T>(r: TopicResult<T>): T {
  if (!r.ok) throw new TopicError(r.message);
  return r.value;
}

export const TOPICS = token<Topics>("events.topics");
