/**
 * AES-GCM keys derived from APP_KEY (and the keys it replaced) by HKDF. The
 * derivation binds each key to its purpose, so the session key is never the
 * HMAC key that signs mount tokens even though both come from APP_KEY.
 */
const derived = new Map<string, Promise<CryptoKey>>();
const encoder = new TextEncoder();

export function aesKey(secret: string, purpose: string): Promise<CryptoKey> {
  const id = `${purpose}\u0000${secret}`;
  let key = derived.get(id);
  if (!key) {
    key = derive(secret, purpose);
    derived.set(id, key);
  }
  return key;
}

async function derive(secret: string, purpose: string): Promise<CryptoKey> {
  const ikm = await crypto.subtle.importKey("raw", encoder.encode(secret), "HKDF", false, ["deriveKey"]);
  return crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: encoder.encode("stratus"), info: encoder.encode(purpose) },
    ikm,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

/** The current key first (it encrypts), then the previous ones (they only decrypt). */
export interface KeyRing {
  readonly current: string;
  readonly previous: readonly string[];
}
