import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Personal access tokens (`Authorization: Bearer stratus_<id>_<secret>`).
 * Only SHA-256 of the secret is stored: the secret is 32 random bytes, so a
 * slow password hash would add nothing but CPU per request. The public `id`
 * finds the row; the hash is then compared in constant time. No foreign key
 * to users: the framework does not own the app's users table.
 */
export const apiTokens = sqliteTable(
  "api_tokens",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").notNull(),
    name: text("name").notNull(),
    /** base64url SHA-256 of the secret part. */
    tokenHash: text("token_hash").notNull(),
    /** JSON array of ability strings ("articles:write", "*"). */
    abilities: text("abilities", { mode: "json" }).$type<string[]>().notNull(),
    /** Updated at most once a minute (ApiTokens.TOUCH_MS), so a busy token is not a write per request. */
    lastUsedAt: integer("last_used_at"),
    expiresAt: integer("expires_at"),
    revokedAt: integer("revoked_at"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("api_tokens_user_id_idx").on(t.userId)],
);

export type ApiTokenRow = typeof apiTokens.$inferSelect;
