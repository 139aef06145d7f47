import { defineFrameworkConfig as defineConfig } from "../app/config";

export default defineConfig("cluster", (env) => ({
  /** Shards for keyed work (rendezvous hashing) of a component that names no count of its own. */
  shards: env.int("CLUSTER_SHARDS", 16, { min: 1, max: 1024 }),
  /**
   * Sharded components: name → shard count. A listed component's keys are entity keys placed on
   * one of that many objects (`<name>:<shard>`): `live(name, key)`, broadcasts and
   * `ClusterManager.shard` all resolve them. Set it in the app's config/cluster.ts.
   */
  shardsByComponent: {} as Record<string, number>,
  /** Sockets one object holds before fan-out moves to relay objects. */
  relayThreshold: env.int("CLUSTER_RELAY_THRESHOLD", 5000, { min: 1 }),
  /** Durable Object location hint (e.g. "weur"), or none. */
  locationHint: env.optional("CLUSTER_LOCATION_HINT") as DurableObjectLocationHint | undefined,
  jurisdiction: env.optional("CLUSTER_JURISDICTION") as DurableObjectJurisdiction | undefined,
}));
