import { index, integer, sqliteTable, text, unique } from "drizzle-orm/sqlite-core";
import { users } from "./users";

/** A user's identity at an OAuth provider (GitHub): one provider account signs in one user. */
export const oauthAccounts = sqliteTable(
  "oauth_accounts",
  {
    id: text("id").primaryKey().$defaultFn(() => crypto.randomUUID()),
    provider: text("provider").notNull(),
    /** The provider's own, stable user id (not the login name, which can change). */
    providerUserId: text("provider_user_id").notNull(),
    userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().$defaultFn(() => new Date()),
  },
  (t) => [unique("oauth_accounts_provider_user_unique").on(t.provider, t.providerUserId), index("oauth_accounts_user_id_idx").on(t.userId)],
);

export type OAuthAccount = typeof oauthAccounts.$inferSelect;
