import { and, desc, eq, isNull } from "drizzle-orm";
import { drizzle, type DrizzleD1Database } from "drizzle-orm/d1";
import { apiTokens, type ApiTokenRow } from "../../db/schema/api-tokens";
import { toBase64Url } from "../../http/session/sealed";
import { parseBearer, TOKEN_PREFIX } from "./format";

/** A token as its owner sees it in a list (never the secret or its hash). */
export interface ApiTokenSummary {
  id: string;
  name: string;
  abilities: string[];
  lastUsedAt: number | null;
  expiresAt: number | null;
  revokedAt: number | null;
  createdAt: number;
}

export interface NewApiToken {
  userId: string;
  name: string;
  abilities: readonly string[];
  /** Milliseconds since the epoch; none: the token lives until revoked. */
  expiresAt?: number;
}

/** Why a presented token was refused; the 401 says which, none of them say whether the id exists. */
export type TokenRejection = "malformed" | "unknown" | "revoked" | "expired";

export type TokenCheck = { ok: true; token: ApiTokenRow; touched: Promise<void> | undefined } | { ok: false; reason: TokenRejection };

/**
 * Personal access tokens in D1. `create` returns the plaintext once; after
 * that only the SHA-256 of its secret exists. `check` finds the row by the
 * token's public id, compares hashes in constant time, refuses revoked and
 * expired tokens, and records the use at most once a minute.
 */
export class ApiTokens {
  static readonly TOUCH_MS = 60_000;
  readonly #db: DrizzleD1Database;

  constructor(d1: D1Database) {
    this.#db = drizzle(d1);
  }

  async create(input: NewApiToken, now = Date.now()): Promise<{ plaintext: string; token: ApiTokenSummary }> {
    // Hex, so the id never contains the "_" that separates it from the secret.
    const id = [...crypto.getRandomValues(new Uint8Array(12))].map((b) => b.toString(16).padStart(2, "0")).join("");
    const secret = toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
    const row: ApiTokenRow = {
      id,
      userId: input.userId,
      name: input.name,
      tokenHash: await hashSecret(secret),
      abilities: [...input.abilities],
      lastUsedAt: null,
      expiresAt: input.expiresAt ?? null,
      revokedAt: null,
      createdAt: now,
    };
    await this.#db.insert(apiTokens).values(row);
    return { plaintext: `${TOKEN_PREFIX}${id}_${secret}`, token: summary(row) };
  }

  async check(plaintext: string, now = Date.now()): Promise<TokenCheck> {
    const parts = parseBearer(plaintext);
    if (!parts) return { ok: false, reason: "malformed" };
    const row = (await this.#db.select().from(apiTokens).where(eq(apiTokens.id, parts.id)).limit(1))[0];
    if (!row || !sameHash(row.tokenHash, await hashSecret(parts.secret))) return { ok: false, reason: "unknown" };
    if (row.revokedAt !== null) return { ok: false, reason: "revoked" };
    if (row.expiresAt !== null && row.expiresAt <= now) return { ok: false, reason: "expired" };
    const stale = row.lastUsedAt === null || now - row.lastUsedAt >= ApiTokens.TOUCH_MS;
    const touched = stale ? this.#db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.id)).then(() => undefined) : undefined;
    return { ok: true, token: row, touched };
  }

  /** The user's tokens, newest first, revoked ones included (the page shows them as revoked). */
  async forUser(userId: string): Promise<ApiTokenSummary[]> {
    const rows = await this.#db.select().from(apiTokens).where(eq(apiTokens.userId, userId)).orderBy(desc(apiTokens.createdAt));
    return rows.map(summary);
  }

  /** Revokes one of the user's tokens; false when the user has no live token with that id. */
  async revoke(userId: string, id: string, now = Date.now()): Promise<boolean> {
    const done = await this.#db
      .update(apiTokens)
      .set({ revokedAt: now })
      .where(and(eq(apiTokens.id, id), eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
      .returning({ id: apiTokens.id });
    return done.length > 0;
  }

  /** Revokes all of a user's tokens (password change, account closed). */
  async revokeAll(userId: string, now = Date.now()): Promise<void> {
    await this.#db.update(apiTokens).set({ revokedAt: now }).where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)));
  }
}

function summary(row: ApiTokenRow): ApiTokenSummary {
  const { id, name, abilities, lastUsedAt, expiresAt, revokedAt, createdAt } = row;
  return { id, name, abilities, lastUsedAt, expiresAt, revokedAt, createdAt };
}

async function hashSecret(secret: string): Promise<string> {
  return toBase64Url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(secret))));
}

function sameHash(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  return x.length === y.length && crypto.subtle.timingSafeEqual(x, y);
}
