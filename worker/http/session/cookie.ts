/** Reads one cookie from a Cookie header; the first of duplicate names wins, as browsers send the most specific first. */
export function readCookie(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export interface CookieAttributes {
  maxAge: number;
  secure: boolean;
  path?: string;
  domain?: string;
}

/** A Set-Cookie value with the session's fixed flags: HttpOnly and SameSite=Lax always. */
export function serializeCookie(name: string, value: string, attrs: CookieAttributes): string {
  let out = `${name}=${value}; Path=${attrs.path ?? "/"}; Max-Age=${Math.max(0, Math.floor(attrs.maxAge))}; HttpOnly; SameSite=Lax`;
  if (attrs.domain) out += `; Domain=${attrs.domain}`;
  if (attrs.secure) out += "; Secure";
  return out;
}

/** Browsers keep at most 4096 bytes of name, value and attributes per cookie. */
export const COOKIE_LIMIT_BYTES = 4096;
