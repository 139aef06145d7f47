/**
 * The calls between the objects of a cluster tree, in one place so each side
 * is written against the same shapes. Relay ⇄ registry (health and routing),
 * relay → root (presence). Frames themselves travel as the wire's JSON texts.
 */
import type { PresenceEntry } from "../realtime/protocol";

/** What a relay reports to its component's registry on its alarm. */
export interface RelayHeartbeat {
  /** The relay object's name (idFromName). */
  relay: string;
  component: string;
  key: string;
  sockets: number;
  capacity: number;
  /** The head the relay has delivered, or null before its first frame. */
  head: { epoch: string; seq: number } | null;
  /** The locationHint the relay was created with, if any. */
  location?: string;
  /** A hub beats like a relay (its `sockets` are its attached relays) but holds no viewers, so it is never routed to. */
  kind?: "hub";
  at: number;
}

export interface RelayRoute {
  relay: string;
  sockets: number;
  capacity: number;
  location?: string;
  /** `suspect`: missed heartbeats, not yet dropped; routed to only when nothing live has room. */
  state: "live" | "suspect";
}

/** What the Worker caches briefly to route an upgrade without asking the registry each time. */
export interface RoutingMap {
  component: string;
  key: string;
  relays: RelayRoute[];
  at: number;
}

/** A relay's presence as it reports it to the root: the only writer of its own viewers' presence. */
export interface RelayPresenceReport {
  relay: string;
  /** Increases with every report of this relay: the root keeps the latest per relay (a state CRDT). */
  version: number;
  count: number;
  /** Capped samples since the previous report (the count is authoritative, the samples are not). */
  joins: PresenceEntry[];
  leaves: string[];
  at: number;
}
