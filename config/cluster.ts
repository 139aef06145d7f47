import { defineConfig } from "stratus";

/**
 * Cluster settings the app owns. A component listed in `shardsByComponent` is sharded: its keys
 * are entity keys spread over that many objects by rendezvous hashing, and `live(name, key)`,
 * broadcasts and `ClusterManager.shard` resolve them to the shard (`<name>:<n>`). Growing a count
 * from N to N+1 moves about 1/(N+1) of the keys, all to the new shard.
 */
export default defineConfig("cluster", (_env, cluster) => ({
  ...cluster,
  shardsByComponent: { ...cluster.shardsByComponent },
}));
