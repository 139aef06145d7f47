import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Short notes, stored by the record-note job and listed on the home page. */
export const notes = sqliteTable(
  "notes",
  {
    id: text("id").primaryKey().$defaultFn(() => crypto.randomUUID()),
    text: text("text").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().$defaultFn(() => new Date()),
  },
  (t) => [index("notes_created_at_id_idx").on(t.createdAt, t.id)],
);

export type Note = typeof notes.$inferSelect;
