import * as z from "zod";

const email = z.email().max(254).transform((s) => s.toLowerCase());
const name = z.string().trim().min(1).max(120);
const url = z.url().max(2048);
const slug = z.string().min(1).max(160).regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "lowercase letters, digits and single dashes");
const tags = z.array(z.string().trim().min(1).max(40)).max(20);
/** ISO 8601 in, Date out; null unpublishes. */
const publishedAt = z.iso.datetime({ offset: true }).transform((s) => new Date(s)).nullable();

export const createUser = z.strictObject({
  email,
  name,
  avatarUrl: url.nullable().optional(),
  bio: z.string().max(2000).nullable().optional(),
});
export const updateUser = createUser.partial();

export const createArticle = z.strictObject({
  authorId: z.string().min(1).max(64),
  title: z.string().trim().min(1).max(200),
  slug,
  body: z.string().max(100_000),
  tags: tags.default([]),
  publishedAt: publishedAt.optional(),
});
export const updateArticle = createArticle.omit({ authorId: true }).partial().extend({ tags: tags.optional() });

const limit = z.coerce.number().int().min(1).max(100).optional();
const cursor = z.string().max(512).optional();

export const listUsers = z.strictObject({ limit, cursor });

export const listArticles = z.strictObject({
  limit,
  cursor,
  author: z.string().max(64).optional(),
  tag: z.string().max(40).optional(),
  /** "true": only published, newest first by published time. */
  published: z.enum(["true", "false"]).optional(),
});
