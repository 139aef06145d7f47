import * as v from "valibot";

/** One story as the component holds it and as the projection writes it to D1. */
export interface Story {
  id: string;
  /** The component seq of the last event that changed this story. */
  seq: number;
  title: string;
  body: string;
  author: string;
  status: "published" | "retracted";
  summary: string | null;
  tags: string[];
  publishedAt: number;
  updatedAt: number;
}

export const storyInput = v.object({
  title: v.pipe(v.string(), v.trim(), v.minLength(1, "Give the story a title."), v.maxLength(140, "Keep the title under 140 characters.")),
  body: v.pipe(v.string(), v.trim(), v.minLength(1, "Write the story."), v.maxLength(20_000, "Keep the story under 20,000 characters.")),
});

export const storyId = v.pipe(v.string(), v.uuid("Not a story id."));

/** What the projection job carries: the story's full row after one event (idempotent by `seq`). */
export const storyRow = v.object({
  id: storyId,
  seq: v.pipe(v.number(), v.integer(), v.minValue(1)),
  title: v.string(),
  body: v.string(),
  author: v.string(),
  status: v.picklist(["published", "retracted"]),
  summary: v.nullable(v.string()),
  tags: v.array(v.string()),
  publishedAt: v.number(),
  updatedAt: v.number(),
});
