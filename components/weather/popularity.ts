import { desc, gt, sql } from "drizzle-orm";
import type { Database } from "stratus/db";
import { weatherViews } from "../../app/db/schema/weather-views";

/** Counted once per page view: one upsert, no read. */
export async function recordView(db: Database, city: string, now = new Date()): Promise<void> {
  await db
    .insert(weatherViews)
    .values({ city, views: 1, lastViewedAt: now })
    .onConflictDoUpdate({ target: weatherViews.city, set: { views: sql`${weatherViews.views} + 1`, lastViewedAt: now } });
}

/** The most viewed cities among those seen in the last week (older interest is not worth warming). */
export async function popularCities(db: Database, limit: number, now = Date.now()): Promise<string[]> {
  const rows = await db
    .select({ city: weatherViews.city })
    .from(weatherViews)
    .where(gt(weatherViews.lastViewedAt, new Date(now - 7 * 86_400_000)))
    .orderBy(desc(weatherViews.views), weatherViews.city)
    .limit(limit);
  return rows.map((r) => r.city);
}
