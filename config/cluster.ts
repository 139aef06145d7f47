import { defineConfig } from "stratus";

/**
 * How live components fan out (README "Scaling out"). A component not listed keeps every socket
 * on its own object; `relays: { above: n }` moves sockets past n to relay objects.
 */
export default defineConfig("cluster", (_env, cluster) => ({
  ...cluster,
  components: {
    counter: { relays: { above: cluster.relayThreshold } },
  },
}));
