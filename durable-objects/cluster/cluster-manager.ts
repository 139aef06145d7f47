import clusterConfig from "../../worker/config/cluster";
import { loadConfig, type ConfigDefinition } from "../../worker/app/config";
import { rendezvous } from "./rendezvous";

export interface ClusterManagerOptions {
  /** Shards for keyed work (config/cluster `shards`). */
  shards: number;
  /** Sharded components and their shard counts (config/cluster `shardsByComponent`). */
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
      if (!Number.isInteger(n) || n < 1 || n > 1024) throw new RangeError(`cluster shards for ${name} must be an integer from 1 to 1024, got ${n}`);
    }
    this.#shards = options.shards;
    this.#byComponent = { ...options.shardsByComponent };
  }

  /**
   * From the Worker env and the app's config files (config/index.ts `config`): config/cluster's
   * defaults and checks, then the app's own config/cluster.ts on top (as the Application loads them).
   */
  static fromEnv(env: object, appConfig: readonly ConfigDefinition[] = []): ClusterManager {
    const files = [clusterConfig, ...appConfig.filter((d) => d.key === "cluster")];
    const loaded = loadConfig(files, env as Record<string, unknown>).cluster as ClusterManagerOptions;
    return new ClusterManager(loaded);
  }

  /** From loaded config (`c.config.cluster`). */
  static fromConfig(cluster: ClusterManagerOptions): ClusterManager {
    return new ClusterManager(cluster);
  }

  /** Whether config lists `component` as sharded (its keys are entity keys, not object names). */
  isSharded(component: string): boolean {
    return Object.hasOwn(this.#byComponent, component);
  }

  shardCount(component: string): number {
    return Object.hasOwn(this.#byComponent, component) ? this.#byComponent[component]! : this.#shards;
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

  /** The object name that serves `key`: its shard's name for a sharded component, the key itself otherwise. */
  instance(component: string, key: string): string {
    return this.isSharded(component) ? this.placement(component, key).name : key;
  }
}
