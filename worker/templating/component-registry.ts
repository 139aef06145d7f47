import type { ClusterManager } from "../../durable-objects/cluster/cluster-manager";
import { inJurisdiction } from "../../durable-objects/cluster/bindings";
import type { TopicDirectory } from "../../durable-objects/cluster/topic-log";
import { NotFoundError } from "../http/errors";

/** A component name that config/components.ts does not register: a 404 when it reaches HTTP. */
export class UnknownComponentError extends NotFoundError {
  constructor(readonly component: string, known: readonly string[]) {
    super(`Unknown live component "${component}". Known: ${known.join(", ") || "none"}; register it in config/components.ts.`);
    this.name = "UnknownComponentError";
  }
}

/**
 * Maps a component name (what a page mounts, what /live/<name>/<key> names
 * and what broadcasts target) to its Durable Object namespace, from the
 * registry in config/components.ts. The one place that lookup happens.
 */
export class ComponentRegistry {
  readonly #registry: Readonly<Record<string, string>>;
  readonly #env: Record<string, unknown>;
  readonly #cluster: ClusterManager | undefined;

  readonly #jurisdiction: (name: string) => DurableObjectJurisdiction | undefined;

  /**
   * With `cluster`, the keys of sharded components (config/cluster `shardsByComponent`) resolve to
   * their shard; `jurisdiction` says where a component's objects live (config/cluster.ts), so every
   * caller reaches the same root.
   */
  constructor(
    env: Cloudflare.Env,
    registry: Readonly<Record<string, string>>,
    cluster?: ClusterManager,
    jurisdiction: (name: string) => DurableObjectJurisdiction | undefined = () => undefined,
  ) {
    this.#registry = registry;
    this.#env = env as unknown as Record<string, unknown>;
    this.#cluster = cluster;
    this.#jurisdiction = jurisdiction;
  }

  names(): string[] {
    return Object.keys(this.#registry);
  }

  has(name: string): boolean {
    return Object.hasOwn(this.#registry, name);
  }

  /** The wrangler.toml binding name of a component (a 404 error when unknown). */
  binding(name: string): string {
    const binding = Object.hasOwn(this.#registry, name) ? this.#registry[name] : undefined;
    if (binding === undefined) throw new UnknownComponentError(name, this.names());
    return binding;
  }

  namespace(name: string): DurableObjectNamespace {
    const binding = this.binding(name);
    const ns = this.#env[binding] as { getByName?: unknown } | undefined;
    if (!ns || typeof ns.getByName !== "function") {
      throw new Error(`Component "${name}" maps to binding ${binding}, which is not a Durable Object namespace: declare it in wrangler.toml.`);
    }
    return inJurisdiction(ns as DurableObjectNamespace, this.#jurisdiction(name));
  }

  /**
   * The object name serving `key`: for a sharded component, the shard its entity key maps to
   * (`chat:3`); otherwise the key itself. Pages and broadcasts address by key; sockets by this name.
   */
  instance(name: string, key: string): string {
    return this.#cluster?.instance(name, key) ?? key;
  }

  /** Where every registered component's objects live, as the topic registries need it to push to subscribers. */
  directory(): TopicDirectory {
    const out: Record<string, TopicDirectory[string]> = {};
    for (const [name, binding] of Object.entries(this.#registry)) {
      const jurisdiction = this.#jurisdiction(name);
      out[name] = { binding, ...(jurisdiction ? { jurisdiction } : {}), ...(this.#cluster?.isSharded(name) ? { shards: this.#cluster.shardCount(name) } : {}) };
    }
    return out;
  }

  /** The stub for one instance: `(component, key)` addresses exactly one object (an object name: see `instance`). */
  stub(name: string, key: string): DurableObjectStub {
    return this.namespace(name).getByName(key);
  }
}
