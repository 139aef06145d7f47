import { InvalidCursorError } from "./data-errors";

export { InvalidCursorError };

export type SortDirection = "asc" | "desc";
export type CursorValue = string | number | boolean | Date | null;

/** Where a page ended: the sort column's value and the id of the last row (the tiebreaker). */
export interface CursorPosition {
  column: string;
  direction: SortDirection;
  value: CursorValue;
  id: string | number;
}

type Encoded = [string, SortDirection, string | number | boolean | null | { d: number }, string | number];

/** Opaque, URL-safe: base64url of a small JSON tuple. Not signed: it only positions a read the caller may make anyway. */
export function encodeCursor(p: CursorPosition): string {
  const value = p.value instanceof Date ? { d: p.value.getTime() } : p.value;
  const json = JSON.stringify([p.column, p.direction, value, p.id] satisfies Encoded);
  return btoa(String.fromCharCode(...new TextEncoder().encode(json))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function decodeCursor(cursor: string): CursorPosition {
  let parsed: unknown;
  try {
    const bin = atob(cursor.replace(/-/g, "+").replace(/_/g, "/"));
    parsed = JSON.parse(new TextDecoder().decode(Uint8Array.from(bin, (ch) => ch.charCodeAt(0))));
  } catch {
    throw new InvalidCursorError("it is not a cursor this API issued");
  }
  if (!Array.isArray(parsed) || parsed.length !== 4) throw new InvalidCursorError("it is not a cursor this API issued");
  const [column, direction, raw, id] = parsed as unknown[];
  if (typeof column !== "string" || (direction !== "asc" && direction !== "desc")) throw new InvalidCursorError("malformed ordering");
  if (typeof id !== "string" && typeof id !== "number") throw new InvalidCursorError("malformed position");
  let value: CursorValue;
  if (raw !== null && typeof raw === "object") {
    const d = (raw as { d?: unknown }).d;
    if (typeof d !== "number" || !Number.isFinite(d)) throw new InvalidCursorError("malformed position");
    value = new Date(d);
  } else if (raw === null || typeof raw === "string" || typeof raw === "number" || typeof raw === "boolean") {
    value = raw;
  } else {
    throw new InvalidCursorError("malformed position");
  }
  return { column, direction, value, id };
}
