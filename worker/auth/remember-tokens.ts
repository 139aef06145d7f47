import { and, eq } from "drizzle-orm";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import { rememberTokens } from "../db/schema/remember-tokens";
import { digest, randomToken, sameText, toBase64Url } from "../http/session/sealed";

/**
 * A reused previous validator this soon after its rotation is taken for the
 * same browser's parallel requests (two tabs reopened at once), not a thief:
 * it signs nobody in and revokes nothing.
 */
const ROTATION_GRACE_MS = 10_000;

export type RememberResult =
  /** Signed in: `cookie` is the rotated value to send back. */
  | { status: "valid"; userId: string; cookie: string; expiresAt: number }
  /** The previous validator again, long after rotation: the cookie was copied. Every token of the user is revoked. */
  | { status: "stolen"; userId: string }
  /** A parallel request of the rotating browser: leave the cookie alone. */
  | { status: "raced" }
  | { status: "invalid" };

/**
 * Remember-me tokens (selector.validator; see the remember_tokens table).
 * The selector finds the row in one indexed read; only the validator's hash
 * is stored and it is compared in constant time.
 */
export class RememberTokens {
  constructor(private readonly db: DrizzleD1Database) {}

  async issue(userId: string, ttlMs: number, now = Date.now()): Promise<{ cookie: string; expiresAt: number }> {
    const selector = toBase64Url(crypto.getRandomValues(new Uint8Array(16)));
    const validator = randomToken();
    const expiresAt = now + ttlMs;
    await this.db.insert(rememberTokens).values({ selector, validatorHash: await digest(validator), userId, createdAt: now, expiresAt });
    return { cookie: `${selector}.${validator}`, expiresAt };
  }

  /** Checks a cookie value and, when it is good, rotates its validator. */
  async use(cookie: string, now = Date.now()): Promise<RememberResult> {
    const parts = parse(cookie);
    if (!parts) return { status: "invalid" };
    const rows = await this.db.select().from(rememberTokens).where(eq(rememberTokens.selector, parts.selector)).limit(1);
    const row = rows[0];
    if (!row || row.expiresAt <= now) return { status: "invalid" };
    const presented = await digest(parts.validator);
    if (sameText(presented, row.validatorHash)) {
      const validator = randomToken();
      // Compare-and-set on the validator: of two requests racing with one cookie, one rotates and the other reads as a race.
      const updated = await this.db
        .update(rememberTokens)
        .set({ validatorHash: await digest(validator), previousValidatorHash: row.validatorHash, rotatedAt: now })
        .where(and(eq(rememberTokens.selector, row.selector), eq(rememberTokens.validatorHash, row.validatorHash)))
        .returning({ selector: rememberTokens.selector });
      if (updated.length === 0) return { status: "raced" };
      return { status: "valid", userId: row.userId, cookie: `${row.selector}.${validator}`, expiresAt: row.expiresAt };
    }
    if (row.previousValidatorHash !== null && sameText(presented, row.previousValidatorHash)) {
      if (row.rotatedAt !== null && now - row.rotatedAt < ROTATION_GRACE_MS) return { status: "raced" };
      await this.revokeUser(row.userId);
      return { status: "stolen", userId: row.userId };
    }
    return { status: "invalid" };
  }

  /** Forgets one cookie's token (sign-out on this device). */
  async revoke(cookie: string): Promise<void> {
    const parts = parse(cookie);
    if (parts) await this.db.delete(rememberTokens).where(eq(rememberTokens.selector, parts.selector));
  }

  /** Every device of a user (password reset, detected theft). */
  async revokeUser(userId: string): Promise<void> {
    await this.db.delete(rememberTokens).where(eq(rememberTokens.userId, userId));
  }
}

function parse(cookie: string): { selector: string; validator: string } | undefined {
  const m = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/.exec(cookie);
  return m ? { selector: m[1]!, validator: m[2]! } : undefined;
}

