import { defineFrameworkConfig as defineConfig } from "../app/config";

export default defineConfig("cluster", (env) => ({
  /** Shards for keyed work (rendezvous hashing). */
  shards: env.int("CLUSTER_SHARDS", 16, { min: 1, max: 1024 }),
  /** Sockets one object holds before fan-out moves to relay objects. */
  relayThreshold: env.int("CLUSTER_RELAY_THRESHOLD", 5000, { min: 1 }),
  /** Durable Object location hint (e.g. "weur"), or none. */
  locationHint: env.optional("CLUSTER_LOCATION_HINT") as DurableObjectLocationHint | undefined,
  jurisdiction: env.optional("CLUSTER_JURISDICTION") as DurableObjectJurisdiction | undefined,
}));
