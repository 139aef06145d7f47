import { LIVE_PATH_PREFIX } from "../durable-objects/realtime/protocol";

/** The `exp` claim of a mount token in ms (its payload is signed, not secret); Infinity when unknown. */
export function tokenExpiry(token: string): number {
  try {
    const exp = (JSON.parse(atob(token.slice(0, token.indexOf(".")).replace(/-/g, "+").replace(/_/g, "/"))) as { exp?: unknown }).exp;
    return typeof exp === "number" ? exp * 1000 : Infinity;
  } catch {
    return Infinity;
  }
}

/** When to renew: a fifth of the way before expiry, at most a minute before it. */
export function refreshDelay(expiresAt: number, now = Date.now()): number {
  const left = expiresAt - now;
  return Math.max(0, left - 60_000, left * 0.8);
}

/**
 * Asks the Worker for a fresh token. A fresh token, "refused" (4xx: this
 * token can never be renewed here), or "unreachable" (try again later).
 */
export async function refreshToken(component: string, key: string, token: string): Promise<{ token: string; expiresAt: number } | "refused" | "unreachable"> {
  try {
    const res = await fetch(`${LIVE_PATH_PREFIX}${encodeURIComponent(component)}/${encodeURIComponent(key)}/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token }),
    });
    if (res.ok) return (await res.json()) as { token: string; expiresAt: number };
    return res.status >= 400 && res.status < 500 ? "refused" : "unreachable";
  } catch {
    return "unreachable";
  }
}
