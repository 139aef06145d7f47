import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Remember-me tokens: the cookie carries `<selector>.<validator>`; the row is
 * found by the selector and checked against SHA-256 of the validator, so a
 * leaked table logs nobody in. Each use rotates the validator and keeps the
 * previous one's hash: a later request with that old validator means the
 * cookie was copied, and all of the user's tokens are revoked.
 */
export const rememberTokens = sqliteTable(
  "remember_tokens",
  {
    selector: text("selector").primaryKey(),
    validatorHash: text("validator_hash").notNull(),
    /** The validator this one replaced, until the next rotation. */
    previousValidatorHash: text("previous_validator_hash"),
    rotatedAt: integer("rotated_at"),
    userId: text("user_id").notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("remember_tokens_user_id_idx").on(t.userId), index("remember_tokens_expires_at_idx").on(t.expiresAt)],
);

export type RememberTokenRow = typeof rememberTokens.$inferSelect;
