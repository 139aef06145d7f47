/**
 * Where the cluster's own objects live: the binding names every app declares
 * (wrangler.toml, written by `stratus new`), the headers the Worker sets when
 * it forwards an upgrade to a relay, and the one way to reach an object in a
 * jurisdiction, so root, registry and relays of a component agree on it.
 */
export const RELAY_BINDING = "STRATUS_RELAY";
export const REGISTRY_BINDING = "STRATUS_REGISTRY";
/** Topic registries: one object per topic root (durable-objects/cluster/topic-registry.ts). */
export const TOPICS_BINDING = "TOPICS";
/** Hubs: an optional level between a root and its relays (README "Hubs"). */
export const HUB_BINDING = "STRATUS_HUB";

/** Set by the Worker on an upgrade it forwards to a relay (a Durable Object is reachable only through its binding). */
export const RELAY_HEADER = "x-stratus-relay";
/** Set by a relay on its upgrade response when it refused the socket as full (4010): the Worker routes the next one elsewhere. */
export const RELAY_FULL_HEADER = "x-stratus-relay-full";
/** Set by the Worker on a direct upgrade of a component relayed above N viewers: the root refuses past N. */
export const DIRECT_LIMIT_HEADER = "x-stratus-direct-limit";
/** Set by a root that refused a direct upgrade past its limit: the Worker routes the socket through a relay. */
export const USE_RELAYS_HEADER = "x-stratus-use-relays";

/** What a relay learns from the Worker on its first upgrade and keeps: whom it relays, and how to reach it. */
export interface RelaySetup {
  /** This relay's own name (idFromName), as the registry lists it. */
  relay: string;
  component: string;
  key: string;
  /** The root component's binding name (config/components.ts). */
  binding: string;
  jurisdiction?: DurableObjectJurisdiction;
  location?: DurableObjectLocationHint;
  capacity: number;
  /** How often the relay reports to its registry and re-announces itself to its root, in ms. */
  heartbeatMs: number;
  /** The hub this relay hangs under (config/cluster `hubs`); without one it attaches to the root itself. */
  hub?: string;
}

/** What a hub learns from its first relay's attach and keeps: whom it relays, and how to reach its root. */
export interface HubSetup {
  /** This hub's own name (idFromName). */
  hub: string;
  component: string;
  key: string;
  binding: string;
  jurisdiction?: DurableObjectJurisdiction;
  location?: DurableObjectLocationHint;
  heartbeatMs: number;
}

/** The namespace of `binding`, inside `jurisdiction` when one is configured. */
export function namespaceIn<T extends Rpc.DurableObjectBranded | undefined = undefined>(
  env: unknown,
  binding: string,
  jurisdiction?: DurableObjectJurisdiction,
): DurableObjectNamespace<T> {
  const ns = (env as Record<string, unknown>)[binding] as DurableObjectNamespace<T> | undefined;
  if (!ns || typeof ns.getByName !== "function") throw new Error(`The cluster needs the Durable Object binding ${binding}: declare it in wrangler.toml.`);
  return inJurisdiction(ns, jurisdiction);
}

let warned = false;

/**
 * `ns` restricted to `jurisdiction`. workerd (wrangler dev, the Vitest integration) does not
 * implement jurisdictions and says so by throwing: locally they degrade to the plain namespace, as
 * location hints do. Cloudflare implements them, so in production nothing is caught here.
 */
export function inJurisdiction<T extends Rpc.DurableObjectBranded | undefined>(ns: DurableObjectNamespace<T>, jurisdiction: DurableObjectJurisdiction | undefined): DurableObjectNamespace<T> {
  if (!jurisdiction) return ns;
  try {
    return ns.jurisdiction(jurisdiction);
  } catch (err) {
    if (!(err instanceof Error && /not implemented in workerd/i.test(err.message))) throw err;
    if (!warned) console.warn(`Jurisdiction "${jurisdiction}" is not available locally (workerd); using the plain namespace.`);
    warned = true;
    return ns;
  }
}

/** The registry object of one component instance. */
export function registryName(component: string, key: string): string {
  return `${component.length}:${component}:${key}`;
}
