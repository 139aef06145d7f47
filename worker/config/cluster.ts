import { defineFrameworkConfig as defineConfig } from "../app/config";

/**
 * How one component fans out. `relays`: "never" (the default: every socket on the root), "always",
 * or `{ above: n }` (direct up to n sockets on the root, through relays past it). A component with
 * per-viewer state (each socket sees its own render) must stay "never": relays send one frame to all.
 */
export interface ClusterComponent {
  relays?: "never" | "always" | { above: number };
  /** Sockets per relay before it refuses with 4010 (default `relayCapacity`). */
  capacity?: number;
  /** Root, registry and relays of this component live in this jurisdiction's namespace. */
  jurisdiction?: DurableObjectJurisdiction;
  /**
   * A hub level between the root and the relays: relays attach to a hub of their region instead of
   * the root, so the root pushes to one hub per region (or `n` per region) instead of every relay.
   * Unset: relays attach to the root. `"per-region"` is the same as 1.
   */
  hubs?: "per-region" | number;
  /**
   * Where a page's mount gets its server render: "root" asks the object every view; "cached" keeps
   * it in the Cache API for LIVE_RENDER_CACHE_MS; "published" reads the render the root writes to
   * the KV binding LIVE_RENDER_KV names after its commits, so views never call it. Unset: "cached"
   * when LIVE_RENDER_CACHE_MS is set, else "root".
   */
  renders?: "root" | "cached" | "published";
}

export default defineConfig("cluster", (env) => ({
  /** Shards for keyed work (rendezvous hashing) of a component that names no count of its own. */
  shards: env.int("CLUSTER_SHARDS", 16, { min: 1, max: 1024 }),
  /**
   * Sharded components: name → shard count. A listed component's keys are entity keys placed on
   * one of that many objects (`<name>:<shard>`): `live(name, key)`, broadcasts and
   * `ClusterManager.shard` all resolve them. Set it in the app's config/cluster.ts.
   */
  shardsByComponent: {} as Record<string, number>,
  /** Sockets one object holds before fan-out moves to relay objects (the `above` of `relays: { above }` when unset). */
  relayThreshold: env.int("CLUSTER_RELAY_THRESHOLD", 5000, { min: 1 }),
  /** Durable Object location hint (e.g. "weur"), or none. */
  locationHint: env.optional("CLUSTER_LOCATION_HINT") as DurableObjectLocationHint | undefined,
  jurisdiction: env.optional("CLUSTER_JURISDICTION") as DurableObjectJurisdiction | undefined,
  /** Every live socket goes through relays, whatever `components` says (tests run the live suite both ways). */
  forceRelays: env.bool("CLUSTER_FORCE_RELAYS", false),
  /** Sockets per relay (README "Scaling out" has the measurement behind the default). */
  relayCapacity: env.int("CLUSTER_RELAY_CAPACITY", 1000, { min: 1, max: 32_000 }),
  /** Relay heartbeat to its registry and root, in ms; a relay silent for 2 beats is suspect, for 4 dropped. */
  heartbeatMs: env.int("CLUSTER_HEARTBEAT_MS", 5000, { min: 100 }),
  /** How long the Worker reuses a registry's routing map, in ms. */
  routingTtlMs: env.int("CLUSTER_ROUTING_TTL_MS", 2000, { min: 0 }),
  /** Per component (the name a page mounts): relays, capacity, jurisdiction. */
  components: {} as Readonly<Record<string, ClusterComponent>>,
}));
