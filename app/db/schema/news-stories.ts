import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * The News component's stories, as D1 sees them: a projection of the
 * component's event log, written by the queued `news.project` job. `seq` is
 * the component seq of the last event applied to the row, and a write only
 * lands when it is newer (redelivered or reordered jobs change nothing).
 */
export const newsStories = sqliteTable(
  "news_stories",
  {
    id: text("id").primaryKey(),
    seq: integer("seq").notNull(),
    title: text("title").notNull(),
    body: text("body").notNull(),
    author: text("author").notNull(),
    status: text("status", { enum: ["published", "retracted"] }).notNull(),
    summary: text("summary"),
    tags: text("tags", { mode: "json" }).$type<string[]>().notNull(),
    publishedAt: integer("published_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("news_stories_status_published_idx").on(t.status, t.publishedAt, t.id)],
);

export type NewsStoryRow = typeof newsStories.$inferSelect;
