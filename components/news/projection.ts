import { sql } from "drizzle-orm";
import { createDatabase, type Database } from "stratus/db";
import { defineJob } from "stratus/queue";
import { newsStories } from "../../app/db/schema/news-stories";
import { storyRow, type Story } from "./story";

/**
 * Writes one story row to D1 unless D1 already holds that story at this seq
 * or a later one. The guard makes the projection idempotent and order-free:
 * a redelivered job, or an older job arriving after a newer one, is a no-op.
 */
export async function projectStory(db: Database, s: Story): Promise<boolean> {
  const row = { ...s, publishedAt: new Date(s.publishedAt), updatedAt: new Date(s.updatedAt) };
  const { id: _id, ...changes } = row;
  const res = await db
    .insert(newsStories)
    .values(row)
    .onConflictDoUpdate({ target: newsStories.id, set: changes, setWhere: sql`excluded.seq > ${newsStories.seq}` })
    .returning({ id: newsStories.id });
  return res.length > 0;
}

/** The queued projection of the News component's events (dispatched by the component after commit). */
export const newsProjectionJob = defineJob({
  name: "news.project",
  schema: storyRow,
  tries: 10,
  backoff: { base: 2, max: 300 },
  async handle(story, ctx) {
    await projectStory(createDatabase(ctx.env.DB), story);
  },
});
