import { toBase64Url } from "../http/session/sealed";

/**
 * Password hashing: PBKDF2-SHA256 through WebCrypto, stored as a PHC string
 * (`$pbkdf2-sha256$i=100000$<salt>$<hash>`, unpadded base64url), so each hash
 * names its algorithm and parameters and `needsRehash()` can tell when they
 * changed.
 *
 * Why PBKDF2 (figures in the README, "Authentication"): it is
 * native (about 13-15 ms per hash here inside workerd, no bundle bytes), while
 * the well-kept argon2/scrypt packages either cannot run in workerd (hash-wasm
 * compiles its WASM at run time, which Workers forbid) or are pure JS far past
 * a request's CPU budget (@noble/hashes argon2id 180-270 ms, scrypt N=2^15
 * 1.4-1.7 s). Production Workers reject PBKDF2 above 100,000 iterations while
 * `wrangler dev` accepts more, so the cap is enforced here, locally too.
 */
export const PBKDF2_MAX_ITERATIONS = 100_000;

export interface PasswordHashing {
  algorithm: "pbkdf2-sha256";
  iterations: number;
  saltBytes: number;
  hashBytes: number;
}

/** What new hashes use. Raising a number makes needsRehash() true for older hashes (rehash on sign-in). */
export const PASSWORD_HASHING: Readonly<PasswordHashing> = Object.freeze({
  algorithm: "pbkdf2-sha256",
  iterations: PBKDF2_MAX_ITERATIONS,
  saltBytes: 16,
  hashBytes: 32,
});

export class PasswordHashingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PasswordHashingError";
  }
}

interface Parsed {
  algorithm: string;
  iterations: number;
  salt: Uint8Array;
  hash: Uint8Array;
}

export async function hashPassword(password: string, params: PasswordHashing = PASSWORD_HASHING): Promise<string> {
  checkParams(params);
  const salt = crypto.getRandomValues(new Uint8Array(params.saltBytes));
  const hash = await pbkdf2(password, salt, params.iterations, params.hashBytes);
  return `$${params.algorithm}$i=${params.iterations}$${toBase64Url(salt)}$${toBase64Url(hash)}`;
}

/** False for a wrong password and for a string that is not a hash this module wrote; never throws on bad input. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed || parsed.iterations > PBKDF2_MAX_ITERATIONS) return false;
  const candidate = await pbkdf2(password, parsed.salt, parsed.iterations, parsed.hash.length);
  return crypto.subtle.timingSafeEqual(candidate, parsed.hash);
}

/** Whether a stored hash was made with other parameters than `params` (so: hash the password again on sign-in). */
export function needsRehash(stored: string, params: PasswordHashing = PASSWORD_HASHING): boolean {
  const parsed = parse(stored);
  return !parsed || parsed.algorithm !== params.algorithm || parsed.iterations !== params.iterations || parsed.salt.length !== params.saltBytes || parsed.hash.length !== params.hashBytes;
}

export function checkParams(params: PasswordHashing): void {
  if (params.algorithm !== "pbkdf2-sha256") throw new PasswordHashingError(`Unknown password hashing algorithm "${params.algorithm}".`);
  if (!Number.isInteger(params.iterations) || params.iterations < 10_000 || params.iterations > PBKDF2_MAX_ITERATIONS) {
    throw new PasswordHashingError(
      `PBKDF2 iterations must be an integer from 10,000 to ${PBKDF2_MAX_ITERATIONS.toLocaleString("en")} (production Workers reject more, though wrangler dev accepts it); got ${params.iterations}.`,
    );
  }
  if (params.saltBytes < 16 || params.hashBytes < 32) throw new PasswordHashingError("Salts need at least 16 bytes and hashes at least 32.");
}

const PHC = /^\$(pbkdf2-sha256)\$i=(\d{1,7})\$([A-Za-z0-9_-]{16,})\$([A-Za-z0-9_-]{32,})$/;

function parse(stored: string): Parsed | undefined {
  const m = PHC.exec(stored);
  if (!m) return undefined;
  const salt = fromBase64Url(m[3]!);
  const hash = fromBase64Url(m[4]!);
  // A truncated hash would otherwise verify against a prefix of the real one.
  if (!salt || !hash || salt.length < 16 || hash.length < 32) return undefined;
  return { algorithm: m[1]!, iterations: Number(m[2]), salt, hash };
}

async function pbkdf2(password: string, salt: Uint8Array, iterations: number, bytes: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(password.normalize("NFKC")), "PBKDF2", false, ["deriveBits"]);
  return new Uint8Array(await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, bytes * 8));
}

function fromBase64Url(text: string): Uint8Array | undefined {
  try {
    const bin = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
  } catch {
    return undefined;
  }
}
