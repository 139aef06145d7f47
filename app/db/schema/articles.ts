import { sql } from "drizzle-orm";
import { check, index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { users } from "./users";

/**
 * News articles. Tags are a JSON array on the row: the news components read
 * them with the article and never query across them, so a join table would
 * cost a second statement per read for nothing.
 */
export const articles = sqliteTable(
  "articles",
  {
    id: text("id").primaryKey().$defaultFn(() => crypto.randomUUID()),
    // RESTRICT: deleting an author with articles is a conflict, never a silent cascade.
    authorId: text("author_id").notNull().references(() => users.id, { onDelete: "restrict" }),
    title: text("title").notNull(),
    slug: text("slug").notNull().unique("articles_slug_unique"),
    body: text("body").notNull(),
    tags: text("tags", { mode: "json" }).$type<string[]>().notNull().$defaultFn(() => []),
    publishedAt: integer("published_at", { mode: "timestamp_ms" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().$defaultFn(() => new Date()),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull().$defaultFn(() => new Date()).$onUpdateFn(() => new Date()),
  },
  (t) => [
    check("articles_title_not_blank", sql`length(trim(${t.title})) > 0`),
    check("articles_slug_format", sql`${t.slug} NOT GLOB '*[^a-z0-9-]*' AND length(${t.slug}) > 0`),
    check("articles_tags_array", sql`json_valid(${t.tags}) AND json_type(${t.tags}) = 'array'`),
    index("articles_author_id_idx").on(t.authorId),
    index("articles_published_at_id_idx").on(t.publishedAt, t.id),
    index("articles_created_at_id_idx").on(t.createdAt, t.id),
  ],
);

export type Article = typeof articles.$inferSelect;
export type NewArticle = typeof articles.$inferInsert;
