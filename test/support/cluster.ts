import { env } from "cloudflare:workers";
import { registryName } from "../../durable-objects/cluster/bindings";
import type { Relay } from "../../durable-objects/cluster/relay";
import type { StratusRegistry } from "../../durable-objects/cluster/registry";
import type { Lab } from "../fixtures/lab";

/** The cluster's bindings in the fixture Worker. */
export const cluster = env as unknown as {
  STRATUS_RELAY: DurableObjectNamespace<Relay>;
  STRATUS_REGISTRY: DurableObjectNamespace<StratusRegistry>;
  LAB: DurableObjectNamespace<Lab>;
};

/** The name the Worker gives the `i`th relay of an instance it creates with no location hint (locally, always). */
export function relayName(component: string, key: string, i = 0): string {
  return `${registryName(component, key)}|any|${i}`;
}

export function relay(component: string, key: string, i = 0): DurableObjectStub<Relay> {
  return cluster.STRATUS_RELAY.getByName(relayName(component, key, i));
}

export function registry(component: string, key: string): DurableObjectStub<StratusRegistry> {
  return cluster.STRATUS_REGISTRY.getByName(registryName(component, key));
}
