import { sql } from "drizzle-orm";
import { check, index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * People who write articles and own live components. Check constraints are
 * named `<table>_<column>_<rule>` so a violation can name its field.
 */
export const users = sqliteTable(
  "users",
  {
    id: text("id").primaryKey().$defaultFn(() => crypto.randomUUID()),
    email: text("email").notNull().unique("users_email_unique"),
    name: text("name").notNull(),
    avatarUrl: text("avatar_url"),
    bio: text("bio"),
    /** The R2 key (UPLOADS) of the avatar kept by the UserProfile component; `avatarUrl` is the route that serves it. */
    avatarKey: text("avatar_key"),
    /** Up to five http(s) links shown on the profile (a JSON array of URLs). */
    links: text("links", { mode: "json" }).$type<string[]>().notNull().default([]),
    /** A PHC string (stratus hashPassword: algorithm and parameters included); null for an account made by OAuth sign-in only. */
    passwordHash: text("password_hash"),
    /** When the user proved they read mail at `email` (the verification link, or a provider's verified address). */
    emailVerifiedAt: integer("email_verified_at", { mode: "timestamp_ms" }),
    /**
     * What the user may do: see app/auth/roles.ts (member < editor < admin). No CHECK: adding one
     * makes drizzle-kit rebuild the table, which D1 cannot do under the articles foreign key.
     */
    role: text("role", { enum: ["member", "editor", "admin"] }).notNull().default("member"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().$defaultFn(() => new Date()),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull().$defaultFn(() => new Date()).$onUpdateFn(() => new Date()),
  },
  (t) => [
    check("users_email_format", sql`${t.email} LIKE '%_@_%'`),
    check("users_name_not_blank", sql`length(trim(${t.name})) > 0`),
    index("users_created_at_id_idx").on(t.createdAt, t.id),
  ],
);

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
