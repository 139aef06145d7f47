import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Single-use tokens mailed to a user (password reset, email verification).
 * `id` is SHA-256 of the token, never the token; using one deletes the row,
 * so it works once; `expires_at` bounds it in time.
 */
export const authTokens = sqliteTable(
  "auth_tokens",
  {
    id: text("id").primaryKey(),
    /** password-reset | email-verify */
    purpose: text("purpose").notNull(),
    userId: text("user_id").notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("auth_tokens_user_purpose_idx").on(t.userId, t.purpose), index("auth_tokens_expires_at_idx").on(t.expiresAt)],
);

export type AuthTokenRow = typeof authTokens.$inferSelect;
