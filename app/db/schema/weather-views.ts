import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Page views per city for the Weather pages: one upsert per view, read by the
 * cron warm-up (the most viewed cities get their forecast fetched before
 * anyone asks). A counter row per city, not a row per view: the table stays
 * as small as the set of cities.
 */
export const weatherViews = sqliteTable(
  "weather_views",
  {
    city: text("city").primaryKey(),
    views: integer("views").notNull().default(0),
    lastViewedAt: integer("last_viewed_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("weather_views_views_idx").on(t.views)],
);

export type WeatherView = typeof weatherViews.$inferSelect;
