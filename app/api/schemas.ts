import * as v from "valibot";

const email = v.pipe(v.string(), v.trim(), v.email(), v.maxLength(254), v.transform((s) => s.toLowerCase()));
const name = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(120));
const url = v.pipe(v.string(), v.url(), v.maxLength(2048));
const slug = v.pipe(v.string(), v.minLength(1), v.maxLength(160), v.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "lowercase letters, digits and single dashes"));
const tags = v.pipe(v.array(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(40))), v.maxLength(20));
/** ISO 8601 in, Date out; null unpublishes. */
const publishedAt = v.nullable(v.pipe(v.string(), v.isoTimestamp(), v.transform((s) => new Date(s))));
const title = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200));
const body = v.pipe(v.string(), v.maxLength(100_000));

export const createUser = v.strictObject({
  email,
  name,
  avatarUrl: v.optional(v.nullable(url)),
  bio: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(2000)))),
  /** The profile's links (the live profile's form has the same limits). */
  links: v.optional(v.pipe(v.array(v.pipe(url, v.regex(/^https?:\/\//i, "an http(s) URL"))), v.maxLength(5))),
});
export const updateUser = v.partial(createUser);

/** No authorId: the author is the caller (a body that names one is refused as an unknown field). */
export const createArticle = v.strictObject({
  title,
  slug,
  body,
  tags: v.optional(tags, []),
  publishedAt: v.optional(publishedAt),
});
export const updateArticle = v.strictObject({
  title: v.optional(title),
  slug: v.optional(slug),
  body: v.optional(body),
  tags: v.optional(tags),
  publishedAt: v.optional(publishedAt),
});

/** Query values arrive as strings. */
const limit = v.optional(v.pipe(v.string(), v.transform(Number), v.number(), v.integer(), v.minValue(1), v.maxValue(100)));
const cursor = v.optional(v.pipe(v.string(), v.maxLength(512)));

export const listUsers = v.strictObject({ limit, cursor });

export const listArticles = v.strictObject({
  limit,
  cursor,
  author: v.optional(v.pipe(v.string(), v.maxLength(64))),
  tag: v.optional(v.pipe(v.string(), v.maxLength(40))),
  /** "true": only published, newest first by published time. */
  published: v.optional(v.picklist(["true", "false"])),
});
