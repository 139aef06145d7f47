import { defineConfig } from "stratus";

/**
 * Cluster settings the app owns. A component listed in `shardsByComponent` is sharded: its keys
 * are entity keys spread over that many objects by rendezvous hashing, and `live(name, key)`,
 * broadcasts and `ClusterManager.shard` resolve them to the shard (`<name>:<n>`). Growing a count
 * from N to N+1 moves about 1/(N+1) of the keys, all to the new shard.
 * `components`: how live components fan out (README "Scaling out"). A component not listed keeps
 * every socket on its own object; `relays: { above: n }` moves sockets past n to relay objects.
 */
export default defineConfig("cluster", (_env, cluster) => ({
  ...cluster,
  shardsByComponent: { ...cluster.shardsByComponent },
  components: {
    counter: { relays: { above: cluster.relayThreshold } },
  },
}));
