import { token } from "../app/token";
import { ComponentRegistry } from "../templating/component-registry";
import type { BroadcastEvent, BroadcastTarget } from "./types";

export { UnknownComponentError } from "../templating/component-registry";

/** Delivers events to live components. The component runtime's Durable Objects are the receivers. */
export interface LiveBroadcaster {
  broadcast(target: BroadcastTarget, event: BroadcastEvent): Promise<void>;
}

export const LIVE_BROADCASTER = token<LiveBroadcaster>("events.liveBroadcaster");

/** The RPC method a component's Durable Object exposes; the Component base class routes it to `onEvent`. */
export interface BroadcastReceiver {
  receiveBroadcast(event: BroadcastEvent): Promise<void> | void;
}

/**
 * The default broadcaster: the component registry (config/components.ts)
 * finds the object, then `receiveBroadcast(event)` is called on it.
 */
export class DurableObjectBroadcaster implements LiveBroadcaster {
  readonly #components: ComponentRegistry;

  constructor(env: Cloudflare.Env, registry: Readonly<Record<string, string>>) {
    this.#components = new ComponentRegistry(env, registry);
  }

  async broadcast(target: BroadcastTarget, event: BroadcastEvent): Promise<void> {
    const stub = this.#components.stub(target.component, target.key) as unknown as BroadcastReceiver;
    await stub.receiveBroadcast(event);
  }
}
