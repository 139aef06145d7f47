/**
 * Signed mount tokens: the page's server render issues one per live mount,
 * and the WebSocket upgrade accepts only a valid, unexpired token for the
 * same component and key. Format: base64url(JSON claims) "." base64url(HMAC-SHA256).
 */
export interface MountClaims {
  /** Component name, as registered in config/components.ts. */
  c: string;
  /** Instance key. */
  k: string;
  /** Caller identity, when the page knows one. */
  u?: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

export type MountTokenFailure = "malformed" | "bad_signature" | "expired" | "wrong_component" | "wrong_key";

export class MountTokenError extends Error {
  constructor(readonly reason: MountTokenFailure) {
    super(`Invalid mount token: ${reason.replace("_", " ")}`);
    this.name = "MountTokenError";
  }
}

const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
    keys.set(secret, key);
  }
  return key;
}

function b64url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromB64url(s: string): Uint8Array {
  const bin = atob(s.replace(/-/g, "+").replace(/_/g, "/"));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export async function signMountToken(
  secret: string,
  claims: { component: string; key: string; user?: string; ttlSeconds: number },
  now = Date.now(),
): Promise<string> {
  const body: MountClaims = { c: claims.component, k: claims.key, exp: Math.floor(now / 1000) + claims.ttlSeconds };
  if (claims.user !== undefined) body.u = claims.user;
  const payload = b64url(encoder.encode(JSON.stringify(body)));
  const sig = await crypto.subtle.sign("HMAC", await hmacKey(secret), encoder.encode(payload));
  return `${payload}.${b64url(new Uint8Array(sig))}`;
}

/** How long after expiry a token may still be exchanged for a fresh one (a laptop closed overnight). */
export const REFRESH_GRACE_SECONDS = 24 * 60 * 60;

/**
 * Verifies signature (constant time, by Web Crypto), expiry, component and key.
 * `graceSeconds` accepts a token expired by up to that long: only the refresh
 * route passes it, since an expired token must never open a socket.
 */
export async function verifyMountToken(
  secret: string,
  token: string,
  expect: { component: string; key: string },
  now = Date.now(),
  graceSeconds = 0,
): Promise<MountClaims> {
  const dot = token.indexOf(".");
  if (dot <= 0 || dot !== token.lastIndexOf(".")) throw new MountTokenError("malformed");
  const payload = token.slice(0, dot);
  let sig: Uint8Array;
  let claims: MountClaims;
  try {
    sig = fromB64url(token.slice(dot + 1));
    claims = JSON.parse(new TextDecoder().decode(fromB64url(payload))) as MountClaims;
  } catch {
    throw new MountTokenError("malformed");
  }
  const ok = await crypto.subtle.verify("HMAC", await hmacKey(secret), sig, encoder.encode(payload));
  if (!ok) throw new MountTokenError("bad_signature");
  if (typeof claims.exp !== "number" || typeof claims.c !== "string" || typeof claims.k !== "string") throw new MountTokenError("malformed");
  if ((claims.exp + graceSeconds) * 1000 <= now) throw new MountTokenError("expired");
  if (claims.c !== expect.component) throw new MountTokenError("wrong_component");
  if (claims.k !== expect.key) throw new MountTokenError("wrong_key");
  return claims;
}
