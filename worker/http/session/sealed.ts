import { aesKey, type KeyRing } from "./keys";

/**
 * Encrypted, authenticated cookie values: base64url(iv || AES-GCM ciphertext),
 * with the cookie's name as additional data so a value cannot be moved to
 * another cookie. Anything that does not decrypt under one of the ring's keys
 * reads as absent: a tampered or stale cookie starts a fresh session, it is
 * not an error.
 */
const PURPOSE = "stratus/session/v1";
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export async function seal(ring: KeyRing, name: string, value: unknown): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const key = await aesKey(ring.current, PURPOSE);
  const plain = encoder.encode(JSON.stringify(value));
  const cipher = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: encoder.encode(name) }, key, plain));
  const out = new Uint8Array(iv.length + cipher.length);
  out.set(iv);
  out.set(cipher, iv.length);
  return toBase64Url(out);
}

/** The contents, and whether they were sealed with the current key (if not, the caller re-seals them). */
export interface Unsealed {
  value: unknown;
  current: boolean;
}

export async function unseal(ring: KeyRing, name: string, sealed: string): Promise<Unsealed | undefined> {
  const bytes = fromBase64Url(sealed);
  if (!bytes || bytes.length < 12 + 16) return undefined;
  const iv = bytes.subarray(0, 12);
  const cipher = bytes.subarray(12);
  const secrets = [ring.current, ...ring.previous];
  for (let i = 0; i < secrets.length; i++) {
    const key = await aesKey(secrets[i]!, PURPOSE);
    try {
      const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv, additionalData: encoder.encode(name) }, key, cipher);
      return { value: JSON.parse(decoder.decode(plain)) as unknown, current: i === 0 };
    } catch {
      // Not this key (or tampered): try the next one.
    }
  }
  return undefined;
}

export function toBase64Url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  try {
    const bin = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
  } catch {
    return undefined;
  }
}

/** 32 random bytes, base64url: session ids and CSRF tokens. */
export function randomToken(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
}

/** SHA-256 of a token, base64url: what a table stores instead of the token itself. */
export async function digest(text: string): Promise<string> {
  return toBase64Url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text))));
}

/** Constant-time equality of two strings (token digests, CSRF tokens): a mismatch costs the same wherever it is. */
export function sameText(a: string, b: string): boolean {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  return x.length === y.length && crypto.subtle.timingSafeEqual(x, y);
}
