/**
 * The Worker's half of the cluster: which object a live upgrade goes to. A
 * component configured for relays (config/cluster.ts, or CLUSTER_FORCE_RELAYS)
 * is reached through one of its relays: the least full live one near the
 * viewer from the registry's routing map, or a new one created here with a
 * location hint. The map is cached per isolate for `routingTtlMs`, and updated
 * by what this isolate routes meanwhile, so the registry is not on the connect
 * path. The browser cannot tell: same URL, same protocol.
 */
import { CALLER_HEADER, type VerifiedMount } from "../../durable-objects/realtime/caller-header";
import { DIRECT_LIMIT_HEADER, namespaceIn, REGISTRY_BINDING, RELAY_BINDING, RELAY_FULL_HEADER, RELAY_HEADER, registryName, USE_RELAYS_HEADER, type RelaySetup } from "../../durable-objects/cluster/bindings";
import type { RelayRoute, RoutingMap } from "../../durable-objects/cluster/contracts";
import { hubName, locationHintFor, type PlacementCf } from "../../durable-objects/cluster/placement";
import type clusterConfig from "../config/cluster";

type ClusterConfig = ReturnType<(typeof clusterConfig)["load"]>;

interface Cached {
  map: RoutingMap;
  expires: number;
}

/** Module level: one map per component instance per isolate, shared by its requests. */
const maps = new Map<string, Cached>();
/** Bounded: an isolate that saw many instances keeps the recent ones. */
const MAX_MAPS = 1000;

export type RouteMode = "direct" | "relays" | { above: number };

export class RelayRouter {
  readonly #env: unknown;
  readonly #config: ClusterConfig;

  constructor(env: unknown, config: ClusterConfig) {
    this.#env = env;
    this.#config = config;
  }

  jurisdiction(component: string): DurableObjectJurisdiction | undefined {
    return this.#config.components[component]?.jurisdiction ?? this.#config.jurisdiction;
  }

  mode(component: string): RouteMode {
    const relays = this.#config.components[component]?.relays ?? "never";
    // Per-viewer-state components (issue 16) will opt out here even when relays are forced:
    // a relay sends one frame to all its viewers, so it cannot serve a render per socket.
    if (this.#config.forceRelays || relays === "always") return "relays";
    return relays === "never" ? "direct" : { above: relays.above };
  }

  /** Forwards a verified upgrade to the root or to a relay of `(component, key)`. */
  async connect(request: Request, mount: VerifiedMount, binding: string): Promise<Response> {
    const mode = this.mode(mount.component);
    const jurisdiction = this.jurisdiction(mount.component);
    const headers = { upgrade: "websocket", [CALLER_HEADER]: JSON.stringify(mount) };
    if (mode !== "relays") {
      const cached = maps.get(cacheKey(mount));
      const relayed = mode !== "direct" && cached !== undefined && cached.expires > Date.now() && cached.map.relays.length > 0;
      if (!relayed) {
        const root = namespaceIn(this.#env, binding, jurisdiction).getByName(mount.key);
        const limit: Record<string, string> = mode === "direct" ? {} : { [DIRECT_LIMIT_HEADER]: String(mode.above) };
        const res = await root.fetch(new Request(`https://component/${encodeURIComponent(mount.component)}/${encodeURIComponent(mount.key)}`, { headers: { ...headers, ...limit } }));
        if (res.headers.get(USE_RELAYS_HEADER) === null) return res;
      }
    }
    const hint = locationHintFor(request.cf as PlacementCf | undefined);
    const component = this.#config.components[mount.component];
    const capacity = component?.capacity ?? this.#config.relayCapacity;
    const map = await this.#routes(mount, jurisdiction);
    const prefix = registryName(mount.component, mount.key);
    const route = pick(map, hint, capacity, prefix);
    route.sockets++;
    const hubs = hubsPerRegion(component?.hubs);
    const setup: RelaySetup = {
      relay: route.relay,
      component: mount.component,
      key: mount.key,
      binding,
      capacity,
      heartbeatMs: this.#config.heartbeatMs,
      ...(jurisdiction ? { jurisdiction } : {}),
      ...(hint ? { location: hint } : {}),
      // The hub of the relay's own region (a relay keeps the hint it was created with, and its name carries it).
      ...(hubs ? { hub: hubName(prefix, route.relay, route.location as DurableObjectLocationHint | undefined, hubs) } : {}),
    };
    const relay = namespaceIn(this.#env, RELAY_BINDING, jurisdiction).getByName(route.relay, hint ? { locationHint: hint } : {});
    const res = await relay.fetch(new Request("https://relay/", { headers: { ...headers, [RELAY_HEADER]: JSON.stringify(setup) } }));
    // Full (the map was stale): the client reconnects at once on 4010 and this isolate picks another.
    if (res.headers.get(RELAY_FULL_HEADER) !== null) route.sockets = Math.max(route.sockets, route.capacity);
    return res;
  }

  /** The cached routing map of this instance, or a fresh one from its registry (empty if it cannot answer). */
  async #routes(mount: VerifiedMount, jurisdiction: DurableObjectJurisdiction | undefined): Promise<RoutingMap> {
    const key = cacheKey(mount);
    const now = Date.now();
    const hit = maps.get(key);
    if (hit && hit.expires > now) return hit.map;
    let map: RoutingMap;
    try {
      const registry = namespaceIn(this.#env, REGISTRY_BINDING, jurisdiction).getByName(registryName(mount.component, mount.key)) as unknown as { routes(c: string, k: string): Promise<RoutingMap> };
      map = await registry.routes(mount.component, mount.key);
    } catch (err) {
      // The registry only spreads load: without it, connects still land on a relay (deterministic names converge).
      console.error("cluster: the registry did not answer; routing from what this isolate knows", err);
      map = hit?.map ?? { component: mount.component, key: mount.key, relays: [], at: now };
    }
    if (maps.size >= MAX_MAPS) maps.delete(maps.keys().next().value!);
    maps.set(key, { map, expires: now + this.#config.routingTtlMs });
    return map;
  }
}

/** Hubs per region from config, or undefined for none; a bad count is a config error, said at the first connect. */
export function hubsPerRegion(hubs: "per-region" | number | undefined): number | undefined {
  if (hubs === undefined) return undefined;
  if (hubs === "per-region") return 1;
  if (!Number.isInteger(hubs) || hubs < 1 || hubs > 64) throw new RangeError(`cluster hubs must be "per-region" or an integer from 1 to 64, got ${String(hubs)}`);
  return hubs;
}

function cacheKey(m: { component: string; key: string }): string {
  return registryName(m.component, m.key);
}

/**
 * A relay with room near the viewer (any, without a hint): live before suspect, then the fullest
 * (packing viewers keeps the root's fan-out small). None: a new relay near the viewer, added to the map.
 */
export function pick(map: RoutingMap, hint: DurableObjectLocationHint | undefined, capacity: number, prefix: string): RelayRoute {
  let best: RelayRoute | undefined;
  for (const r of map.relays) {
    if (r.sockets >= r.capacity || (hint !== undefined && r.location !== hint)) continue;
    if (!best || (r.state === "live" && best.state === "suspect") || (r.state === best.state && r.sockets > best.sockets)) best = r;
  }
  if (best) return best;
  const names = new Set(map.relays.map((r) => r.relay));
  let i = 0;
  while (names.has(relayName(prefix, hint, i))) i++;
  const created: RelayRoute = { relay: relayName(prefix, hint, i), sockets: 0, capacity, state: "live", ...(hint ? { location: hint } : {}) };
  map.relays.push(created);
  return created;
}

function relayName(prefix: string, hint: DurableObjectLocationHint | undefined, i: number): string {
  return `${prefix}|${hint ?? "any"}|${i}`;
}
