import { env } from "cloudflare:workers";
import { RELAY_HEADER, registryName, type RelaySetup } from "../../durable-objects/cluster/bindings";
import { CALLER_HEADER } from "../../durable-objects/realtime/caller-header";
import { LiveClient as Client } from "../../worker/testing/live-client";
import type { Relay } from "../../durable-objects/cluster/relay";
import type { RelayHub } from "../../durable-objects/cluster/hub";
import { hubName } from "../../durable-objects/cluster/placement";
import type { StratusRegistry } from "../../durable-objects/cluster/registry";
import type { Lab } from "../fixtures/lab";

/** The cluster's bindings in the fixture Worker. */
export const cluster = env as unknown as {
  STRATUS_RELAY: DurableObjectNamespace<Relay>;
  STRATUS_REGISTRY: DurableObjectNamespace<StratusRegistry>;
  STRATUS_HUB: DurableObjectNamespace<RelayHub>;
  LAB: DurableObjectNamespace<Lab>;
};

/** The name the Worker gives the `i`th relay of an instance it creates with no location hint (locally, always). */
export function relayName(component: string, key: string, i = 0): string {
  return `${registryName(component, key)}|any|${i}`;
}

export function relay(component: string, key: string, i = 0): DurableObjectStub<Relay> {
  return cluster.STRATUS_RELAY.getByName(relayName(component, key, i));
}

/** The hub the Worker puts the `i`th relay of an instance under, with `perRegion` hubs (locally one region, no hint). */
export function hubOf(component: string, key: string, i: number, perRegion: number): DurableObjectStub<RelayHub> {
  return cluster.STRATUS_HUB.getByName(hubName(registryName(component, key), relayName(component, key, i), undefined, perRegion));
}

export function registry(component: string, key: string): DurableObjectStub<StratusRegistry> {
  return cluster.STRATUS_REGISTRY.getByName(registryName(component, key));
}

/** Connects straight to one relay (as the Worker would forward an upgrade), bypassing the Worker's pick. */
export async function connectRelay(component: string, key: string, i: number, capacity = 3): Promise<{ res: Response; client: Client | undefined }> {
  const setup: RelaySetup = { relay: relayName(component, key, i), component, key, binding: "LAB", capacity, heartbeatMs: 5000 };
  const res = await relay(component, key, i).fetch("https://relay/", {
    headers: { Upgrade: "websocket", [CALLER_HEADER]: JSON.stringify({ component, key }), [RELAY_HEADER]: JSON.stringify(setup) },
  });
  return { res, client: res.webSocket ? new Client(res.webSocket) : undefined };
}
