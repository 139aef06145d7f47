/**
 * The root's view of presence across its relays: a per-relay state CRDT. Each
 * relay owns its entry and its reports carry an increasing version, so the
 * merge is "highest version per relay wins": commutative, associative and
 * idempotent, whatever order reports arrive in or however often one is
 * redelivered. A relay that stops reporting expires `ttlMs` after the `at` of
 * its latest report (so expiry too depends only on the reports, not on when
 * they arrived), which a stale report can never undo: it is older still.
 */
import type { PresenceEntry } from "../realtime/protocol";
import type { RelayPresenceReport } from "./contracts";

export const PRESENCE_TTL_MS = 30_000;

interface Entry {
  version: number;
  count: number;
  at: number;
}

export interface PresenceMerge {
  /** The report was newer than what the root held for its relay. */
  applied: boolean;
  /** Viewers on all live relays after the merge. */
  total: number;
}

export class RelayPresenceSet {
  readonly #ttl: number;
  readonly #relays = new Map<string, Entry>();

  constructor(ttlMs: number = PRESENCE_TTL_MS) {
    if (!(ttlMs > 0)) throw new RangeError(`presence ttlMs must be positive, got ${ttlMs}`);
    this.#ttl = ttlMs;
  }

  /** Merges one report (validated first: see `parsePresenceReport`). `now` caps a report dated in the future. */
  merge(report: RelayPresenceReport, now: number): PresenceMerge {
    this.expire(now);
    // A relay whose clock runs ahead must not outlive the TTL: it is dated no later than its arrival.
    const at = Math.min(report.at, now);
    const held = this.#relays.get(report.relay);
    const applied = at + this.#ttl > now && (held === undefined || report.version > held.version);
    if (applied) this.#relays.set(report.relay, { version: report.version, count: report.count, at });
    return { applied, total: this.total(now) };
  }

  /** Viewers on relays that reported within the TTL. */
  total(now: number): number {
    let n = 0;
    for (const e of this.#relays.values()) if (e.at + this.#ttl > now) n += e.count;
    return n;
  }

  /** Live relays and their counts, by relay name. */
  relays(now: number): Map<string, number> {
    const out = new Map<string, number>();
    for (const [relay, e] of this.#relays) if (e.at + this.#ttl > now) out.set(relay, e.count);
    return out;
  }

  /** Forgets relays past their TTL; returns their names. */
  expire(now: number): string[] {
    const gone: string[] = [];
    for (const [relay, e] of this.#relays) {
      if (e.at + this.#ttl <= now) {
        this.#relays.delete(relay);
        gone.push(relay);
      }
    }
    return gone;
  }

  /** When the next relay expires unless it reports again (ms since the epoch), or undefined with none held. */
  nextExpiry(): number | undefined {
    let min: number | undefined;
    for (const e of this.#relays.values()) if (min === undefined || e.at + this.#ttl < min) min = e.at + this.#ttl;
    return min;
  }
}

const MAX_SAMPLES = 256;
const MAX_NAME = 512;

/** Checks a report from the wire (RPC is still input); returns a message naming the first problem, or the typed report. */
export function parsePresenceReport(value: unknown): { ok: true; report: RelayPresenceReport } | { ok: false; message: string } {
  const bad = (message: string) => ({ ok: false as const, message: `Bad presence report: ${message}.` });
  if (typeof value !== "object" || value === null) return bad("expected an object");
  const r = value as Record<string, unknown>;
  if (typeof r.relay !== "string" || r.relay.length === 0 || r.relay.length > MAX_NAME) return bad("relay must be a non-empty string");
  if (!Number.isSafeInteger(r.version) || (r.version as number) < 0) return bad("version must be a non-negative integer");
  if (!Number.isSafeInteger(r.count) || (r.count as number) < 0) return bad("count must be a non-negative integer");
  if (typeof r.at !== "number" || !Number.isFinite(r.at)) return bad("at must be a time in ms");
  if (!Array.isArray(r.joins) || r.joins.length > MAX_SAMPLES || !r.joins.every(isEntry)) return bad(`joins must be at most ${MAX_SAMPLES} presence entries`);
  if (!Array.isArray(r.leaves) || r.leaves.length > MAX_SAMPLES || !r.leaves.every((id) => typeof id === "string")) return bad(`leaves must be at most ${MAX_SAMPLES} ids`);
  return { ok: true, report: { relay: r.relay, version: r.version as number, count: r.count as number, joins: r.joins as PresenceEntry[], leaves: r.leaves as string[], at: r.at } };
}

function isEntry(e: unknown): boolean {
  return typeof e === "object" && e !== null && typeof (e as PresenceEntry).id === "string" && ((e as PresenceEntry).user === undefined || typeof (e as PresenceEntry).user === "string");
}
