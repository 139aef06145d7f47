import { defineConfig } from "stratus";

/**
 * Cluster settings the app owns (README "Scaling out"). A component listed in `shardsByComponent` is
 * sharded: its keys are entity keys spread over that many objects by rendezvous hashing, and
 * `live(name, key)`, broadcasts and `ClusterManager.shard` resolve them to the shard (`<name>:<n>`).
 * `components` says how each fans out: one not listed keeps every socket on its own object;
 * `relays: { above: n }` moves sockets past n to relay objects, `relays: "always"` sends every viewer
 * through a relay.
 */
export default defineConfig("cluster", (_env, cluster) => ({
  ...cluster,
  shardsByComponent: { ...cluster.shardsByComponent },
  components: {
    counter: { relays: { above: cluster.relayThreshold } },
    // News has the most viewers. Past the threshold its sockets go through relays; below it they stay on the
    // root, whose "N reading now" counts them (relays do not report their viewers' presence to the root yet).
    news: { relays: { above: cluster.relayThreshold } },
  },
}));
