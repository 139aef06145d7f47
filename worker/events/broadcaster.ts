import type { ClusterManager } from "../../durable-objects/cluster/cluster-manager";
import type { TopicDirectory } from "../../durable-objects/cluster/topic-log";
import { token } from "../app/token";
import { ComponentRegistry } from "../templating/component-registry";
import type { BroadcastEvent, BroadcastTarget } from "./types";

export { UnknownComponentError } from "../templating/component-registry";

/** Delivers events to live components. The component runtime's Durable Objects are the receivers. */
export interface LiveBroadcaster {
  broadcast(target: BroadcastTarget, event: BroadcastEvent): Promise<void>;
  /** Where components' objects live, for topic registries pushing to their subscribers (topic broadcasts need it). */
  directory?(): TopicDirectory;
}

export const LIVE_BROADCASTER = token<LiveBroadcaster>("events.liveBroadcaster");

/** What a receiver may answer: the Component base class answers its DispatchResult (`ok: false` on failure). */
export type BroadcastOutcome = void | { ok: boolean; code?: string; message?: string };

/** The RPC method a component's Durable Object exposes; the Component base class routes it to `onEvent`. */
export interface BroadcastReceiver {
  receiveBroadcast(event: BroadcastEvent): Promise<BroadcastOutcome> | BroadcastOutcome;
}

/** A live component received an event but did not apply it (its handler threw, or its commit failed). */
export class BroadcastFailedError extends Error {
  override name = "BroadcastFailedError";
  constructor(readonly target: BroadcastTarget, readonly eventId: string, readonly code: string | undefined, detail: string | undefined) {
    super(`Live component ${target.component}/${target.key} did not apply event ${eventId}: ${detail ?? code ?? "unknown reason"}`);
  }
}

/**
 * The default broadcaster: the component registry (config/components.ts)
 * finds the object, then `receiveBroadcast(event)` is called on it.
 */
export class DurableObjectBroadcaster implements LiveBroadcaster {
  readonly #components: ComponentRegistry;

  /** With `cluster`, a target's key of a sharded component is an entity key, delivered to its shard. */
  constructor(env: Cloudflare.Env, registry: Readonly<Record<string, string>>, cluster?: ClusterManager) {
    this.#components = new ComponentRegistry(env, registry, cluster);
  }

  directory(): TopicDirectory {
    return this.#components.directory();
  }

  /** Resolves once the component applied the event (or already had); rejects when it did not, so a queued delivery retries. */
  async broadcast(target: BroadcastTarget, event: BroadcastEvent): Promise<void> {
    const stub = this.#components.stub(target.component, this.#components.instance(target.component, target.key)) as unknown as BroadcastReceiver;
    const outcome = await stub.receiveBroadcast(event);
    if (outcome && outcome.ok === false) throw new BroadcastFailedError(target, event.id, outcome.code, outcome.message);
  }
}
