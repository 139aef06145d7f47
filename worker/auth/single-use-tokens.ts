import { and, eq } from "drizzle-orm";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import { authTokens } from "../db/schema/auth-tokens";
import { digest, randomToken } from "../http/session/sealed";

export type TokenPurpose = "password-reset" | "email-verify";

/** What a presented token turned out to be. Expired and unknown are told apart only for the message a page shows. */
export type TokenCheck = { status: "valid"; userId: string } | { status: "expired" } | { status: "invalid" };

/**
 * Tokens mailed to a user: 32 random bytes, stored as SHA-256, one live token
 * per user and purpose (issuing another replaces it), deleted when used.
 */
export class SingleUseTokens {
  constructor(private readonly db: DrizzleD1Database) {}

  /** A new token for `userId`; any earlier one of the same purpose stops working. */
  async issue(purpose: TokenPurpose, userId: string, ttlMs: number, now = Date.now()): Promise<string> {
    const token = randomToken();
    await this.db.batch([
      this.db.delete(authTokens).where(and(eq(authTokens.userId, userId), eq(authTokens.purpose, purpose))),
      this.db.insert(authTokens).values({ id: await digest(token), purpose, userId, createdAt: now, expiresAt: now + ttlMs }),
    ]);
    return token;
  }

  /** Checks a token without using it (the page that shows the reset form). */
  async check(purpose: TokenPurpose, token: string, now = Date.now()): Promise<TokenCheck> {
    const rows = await this.db.select().from(authTokens).where(and(eq(authTokens.id, await digest(token)), eq(authTokens.purpose, purpose))).limit(1);
    return verdict(rows[0], now);
  }

  /**
   * Uses a token: the row is deleted by the same statement that reads it, so
   * two requests racing with one token cannot both succeed.
   */
  async consume(purpose: TokenPurpose, token: string, now = Date.now()): Promise<TokenCheck> {
    const rows = await this.db.delete(authTokens).where(and(eq(authTokens.id, await digest(token)), eq(authTokens.purpose, purpose))).returning();
    return verdict(rows[0], now);
  }

  async revoke(userId: string, purpose: TokenPurpose): Promise<void> {
    await this.db.delete(authTokens).where(and(eq(authTokens.userId, userId), eq(authTokens.purpose, purpose)));
  }
}

function verdict(row: { userId: string; expiresAt: number } | undefined, now: number): TokenCheck {
  if (!row) return { status: "invalid" };
  return row.expiresAt <= now ? { status: "expired" } : { status: "valid", userId: row.userId };
}
