/**
 * A relay's parent: the root component itself, or the hub its setup names.
 * Both answer the same five calls, so the relay is written once against
 * `ParentApi`; a hub additionally learns, on each attach, whom it relays
 * (the relay passes the hub's setup along, so no extra call sets it up).
 */
import type { PresenceAck, RelayActionAnswer, RelayAttachment } from "../component";
import { HUB_BINDING, namespaceIn, type HubSetup, type RelaySetup } from "./bindings";
import type { RelayPresenceReport } from "./contracts";
import type { RelayAddress } from "./relay-links";
import type { SeqFrame } from "./sequencer";

/** What a relay (or a hub) calls on its parent: the Component's relay RPC, which a hub implements too. */
export interface ParentApi {
  relayAttach(relay: RelayAddress): Promise<RelayAttachment>;
  relayDetach(name: string): Promise<void>;
  relayFrames(from: number | undefined, epoch?: string, rid?: string): Promise<SeqFrame[]>;
  relayAction(viewer: { id: string; user?: string; client?: string }, frame: { id: string; name: string; args?: unknown }): Promise<RelayActionAnswer>;
  receivePresence(report: RelayPresenceReport): Promise<PresenceAck>;
}

/** The hub as its relays call it: the parent API, with the hub's setup on attach. */
export interface HubApi extends Omit<ParentApi, "relayAttach"> {
  relayAttach(relay: RelayAddress, setup: HubSetup): Promise<RelayAttachment>;
}

/** The hub's setup as its relay knows it (its hub lives in the relay's region and jurisdiction). */
export function hubSetupOf(setup: RelaySetup & { hub: string }): HubSetup {
  return {
    hub: setup.hub,
    component: setup.component,
    key: setup.key,
    binding: setup.binding,
    heartbeatMs: setup.heartbeatMs,
    ...(setup.jurisdiction ? { jurisdiction: setup.jurisdiction } : {}),
    ...(setup.location ? { location: setup.location } : {}),
  };
}

/** The root a hub (or a relay with no hub) attaches to. */
export function rootOf(env: unknown, s: { binding: string; key: string; jurisdiction?: DurableObjectJurisdiction }): ParentApi {
  return namespaceIn(env, s.binding, s.jurisdiction).getByName(s.key) as unknown as ParentApi;
}

/** Where a relay's frames come from and its actions and presence go: its hub when it has one, else the root. */
export function parentOf(env: unknown, setup: RelaySetup): ParentApi {
  if (setup.hub === undefined) return rootOf(env, setup);
  const hub = hubSetupOf({ ...setup, hub: setup.hub });
  // Created (on its first call) in its relays' region, in the component's jurisdiction.
  const stub = namespaceIn(env, HUB_BINDING, setup.jurisdiction).getByName(setup.hub, setup.location ? { locationHint: setup.location } : {}) as unknown as HubApi;
  return {
    relayAttach: (relay) => stub.relayAttach(relay, hub),
    relayDetach: (name) => stub.relayDetach(name),
    relayFrames: (from, epoch, rid) => stub.relayFrames(from, epoch, rid),
    relayAction: (viewer, frame) => stub.relayAction(viewer, frame),
    receivePresence: (report) => stub.receivePresence(report),
  };
}
