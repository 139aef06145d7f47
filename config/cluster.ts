import { defineConfig } from "stratus";

/**
 * Cluster settings the app owns (README "Scaling out").
 *
 * Fan-out: a component not listed in `components` keeps every socket on its own object;
 * `relays: { above: n }` moves sockets past n to relay objects, `relays: "always"` sends all.
 *
 * Sharding: a component listed in `shardsByComponent` is sharded: its keys are entity keys spread
 * over that many objects by rendezvous hashing, and `live(name, key)`, broadcasts and
 * `ClusterManager.shard` resolve them to the shard (`<name>:<n>`). Growing a count from N to N+1
 * moves about 1/(N+1) of the keys, all to the new shard.
 */
export default defineConfig("cluster", (env, cluster) => ({
  ...cluster,
  shardsByComponent: { ...cluster.shardsByComponent },
  components: {
    counter: { relays: { above: cluster.relayThreshold } },
    // News has the most viewers: past the threshold its sockets go through relays, whose presence
    // reports keep the root's "N reading now" counting every reader of the tree.
    // Its page renders are the root's published copy in KV (LIVE_RENDER_KV): page views never call it.
    // NEWS_RENDERS=cached|root is for the News bench, which measures the three side by side.
    news: { relays: { above: cluster.relayThreshold }, renders: env.string("NEWS_RENDERS", "published") as "published" | "cached" | "root" },
  },
}));
