import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** The {{table}} table. Add columns here, then `npm run db:generate` writes the migration. */
export const {{tableVar}} = sqliteTable(
  "{{table}}",
  {
    id: text("id").primaryKey().$defaultFn(() => crypto.randomUUID()),
    name: text("name").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().$defaultFn(() => new Date()),
  },
  (t) => [index("{{table}}_created_at_id_idx").on(t.createdAt, t.id)],
);

export type {{Name}} = typeof {{tableVar}}.$inferSelect;
export type New{{Name}} = typeof {{tableVar}}.$inferInsert;
