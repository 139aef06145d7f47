import { token } from "../app/token";
import type { BroadcastEvent, BroadcastTarget } from "./types";

/** Delivers events to live components. The component runtime's Durable Objects are the receivers. */
export interface LiveBroadcaster {
  broadcast(target: BroadcastTarget, event: BroadcastEvent): Promise<void>;
}

export const LIVE_BROADCASTER = token<LiveBroadcaster>("events.liveBroadcaster");

/** The RPC method a component's Durable Object exposes; the Component base class routes it to `onEvent`. */
export interface BroadcastReceiver {
  receiveBroadcast(event: BroadcastEvent): Promise<void> | void;
}

export class UnknownComponentError extends Error {
  constructor(readonly component: string) {
    super(`No live component named "${component}": add it to the registry in config/components.ts.`);
    this.name = "UnknownComponentError";
  }
}

interface NamespaceLike {
  getByName(name: string): unknown;
}

/**
 * The default broadcaster: component name → Durable Object binding (from
 * `config/components.ts`), then `env[binding].getByName(key).receiveBroadcast(event)`.
 */
export class DurableObjectBroadcaster implements LiveBroadcaster {
  readonly #env: Record<string, unknown>;
  readonly #registry: Readonly<Record<string, string>>;

  constructor(env: Env, registry: Readonly<Record<string, string>>) {
    this.#env = env as unknown as Record<string, unknown>;
    this.#registry = registry;
  }

  async broadcast(target: BroadcastTarget, event: BroadcastEvent): Promise<void> {
    const binding = Object.hasOwn(this.#registry, target.component) ? this.#registry[target.component] : undefined;
    if (!binding) throw new UnknownComponentError(target.component);
    const namespace = this.#env[binding] as NamespaceLike | undefined;
    if (!namespace || typeof namespace.getByName !== "function") {
      throw new Error(`Component "${target.component}" maps to binding ${binding}, which is not a Durable Object namespace: declare it in wrangler.toml.`);
    }
    const stub = namespace.getByName(target.key) as BroadcastReceiver;
    await stub.receiveBroadcast(event);
  }
}
