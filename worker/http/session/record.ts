/** What a store keeps for one session. Times are epoch milliseconds. */
export interface SessionRecord {
  id: string;
  data: Record<string, unknown>;
  /** Flash keys set this request (readable next request) and last request (dropped at the end of this one). */
  flash: { new: string[]; old: string[] };
  createdAt: number;
  lastSeenAt: number;
}

export function isSessionRecord(value: unknown): value is SessionRecord {
  if (typeof value !== "object" || value === null) return false;
  const r = value as Partial<SessionRecord>;
  return (
    typeof r.id === "string" &&
    typeof r.data === "object" && r.data !== null && !Array.isArray(r.data) &&
    typeof r.flash === "object" && r.flash !== null &&
    Array.isArray(r.flash.new) && Array.isArray(r.flash.old) &&
    typeof r.createdAt === "number" && typeof r.lastSeenAt === "number"
  );
}

export interface Lifetimes {
  /** Idle timeout (sliding): a session unused this long has expired. */
  idleMs: number;
  /** Absolute lifetime: no session outlives this, however active. */
  absoluteMs: number;
}

export function isLive(record: SessionRecord, now: number, life: Lifetimes): boolean {
  return now - record.lastSeenAt <= life.idleMs && now - record.createdAt <= life.absoluteMs && record.createdAt <= now + 60_000;
}
