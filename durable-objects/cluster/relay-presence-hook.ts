/**
 * Where a relay's viewers' presence leaves the relay: the relay is the only
 * writer of its own viewers' presence and tells this hook every change. The
 * reporter that sends counts and capped samples up to the root (as
 * RelayPresenceReport, contracts.ts) plugs in here; until then it is a no-op.
 */
import type { PresenceEntry } from "../realtime/protocol";

export interface PresenceChange {
  joins: PresenceEntry[];
  leaves: string[];
  /** Viewers present on this relay after the change (authoritative; the samples are not). */
  count: number;
}

export interface PresenceReporter {
  changed(change: PresenceChange): void;
}

export const silentPresence: PresenceReporter = { changed() {} };
