import clusterConfig from "../../worker/config/cluster";
import { EnvReader } from "../../worker/app/config";
import { rendezvous } from "./rendezvous";

export interface ClusterManagerOptions {
  /** Shards for keyed work (config/cluster `shards`). */
  shards: number;
  /** Per-component shard counts, for a component that outgrows the default (or needs fewer). */
  shardsByComponent?: Readonly<Record<string, number>>;
}

/** Where a keyed piece of work lives: the shard index and the object name to address it by. */
export interface ShardPlacement {
  shard: number;
  /** `<component>:<shard>`: the Durable Object name (idFromName) of that shard. */
  name: string;
}

/**
 * Maps keyed work onto a component's shards. The component's name is part of
 * the hashed key, so two components sharded by the same entity keys do not
 * put the same keys together (one hot tenant does not heat shard 3 everywhere).
 */
export class ClusterManager {
  readonly #shards: number;
  readonly #byComponent: Readonly<Record<string, number>>;

  constructor(options: ClusterManagerOptions) {
    for (const [name, n] of Object.entries({ default: options.shards, ...options.shardsByComponent })) {
      if (!Number.isInteger(n) || n < 1) throw new RangeError(`cluster shards for ${name} must be a positive integer, got ${n}`);
    }
    this.#shards = options.shards;
    this.#byComponent = options.shardsByComponent ?? {};
  }

  /** From the Worker env, with config/cluster's defaults and checks (as `aiFor` does for AI). */
  static fromEnv(env: object): ClusterManager {
    return new ClusterManager({ shards: clusterConfig.load(new EnvReader(env as Record<string, unknown>)).shards });
  }

  shardCount(component: string): number {
    return this.#byComponent[component] ?? this.#shards;
  }

  /** The shard index (0..shardCount-1) of `key` within `component`. */
  shard(component: string, key: string): number {
    // A separator that cannot end a component name keeps ("a:b", "c") apart from ("a", "b:c").
    return rendezvous(`${component.length}:${component}:${key}`, this.shardCount(component));
  }

  placement(component: string, key: string): ShardPlacement {
    const shard = this.shard(component, key);
    return { shard, name: `${component}:${shard}` };
  }
}
