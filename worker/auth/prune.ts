import { and, isNotNull, lt, or } from "drizzle-orm";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import { apiTokens } from "../db/schema/api-tokens";
import { authTokens } from "../db/schema/auth-tokens";
import { rememberTokens } from "../db/schema/remember-tokens";

/**
 * How long a revoked or expired API token stays listed on its owner's
 * account page (so "revoked on …" can still be read) before it is deleted.
 */
export const API_TOKEN_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

export interface PrunedAuthRows {
  apiTokens: number;
  rememberTokens: number;
  authTokens: number;
}

/**
 * Deletes the sign-in rows that can never be used again: API tokens revoked
 * or expired more than 30 days ago, expired remember-me tokens and expired
 * single-use (reset, verification) tokens. One batch, one round trip; the
 * checks that refuse such rows at use stay, so pruning is housekeeping only.
 */
export async function pruneAuthRows(db: DrizzleD1Database, now = Date.now()): Promise<PrunedAuthRows> {
  const before = now - API_TOKEN_RETENTION_MS;
  const [api, remember, single] = await db.batch([
    db.delete(apiTokens).where(or(and(isNotNull(apiTokens.revokedAt), lt(apiTokens.revokedAt, before)), and(isNotNull(apiTokens.expiresAt), lt(apiTokens.expiresAt, before)))),
    db.delete(rememberTokens).where(lt(rememberTokens.expiresAt, now)),
    db.delete(authTokens).where(lt(authTokens.expiresAt, now)),
  ]);
  return { apiTokens: api.meta.changes, rememberTokens: remember.meta.changes, authTokens: single.meta.changes };
}
