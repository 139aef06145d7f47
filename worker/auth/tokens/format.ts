/** Personal access tokens read `stratus_<id>_<secret>`: the prefix lets secret scanners spot a leaked one. */
export const TOKEN_PREFIX = "stratus_";

const SHAPE = /^stratus_([0-9a-f]{24})_([A-Za-z0-9_-]{43})$/;

/** The id and secret of a well-formed token, else undefined. */
export function parseBearer(token: string): { id: string; secret: string } | undefined {
  const m = SHAPE.exec(token);
  return m ? { id: m[1]!, secret: m[2]! } : undefined;
}

/** The token of an `Authorization: Bearer …` header; undefined when there is no such header. */
export function bearerToken(headers: Headers): string | undefined {
  const value = headers.get("authorization");
  if (value === null) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(value);
  return m ? m[1]! : "";
}
