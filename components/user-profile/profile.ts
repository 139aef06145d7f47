import * as v from "valibot";
import type { User } from "../../app/db/schema";

/** A user's profile as every viewer sees it: the public part of their D1 `users` row. */
export interface Profile {
  id: string;
  name: string;
  bio: string;
  avatarUrl: string | null;
  links: string[];
  joinedAt: number;
  /** The row's `updated_at` (ms): which write of the row this is. */
  updatedAt: number;
}

/** One of the user's recent published articles (D1 `articles`). */
export interface ArticleItem {
  id: string;
  title: string;
  publishedAt: number;
}

export const MAX_LINKS = 5;
export const AVATAR_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"];
export const AVATAR_MAX_BYTES = 2_000_000;

export function profileOf(u: User): Profile {
  return { id: u.id, name: u.name, bio: u.bio ?? "", avatarUrl: u.avatarUrl, links: u.links ?? [], joinedAt: u.createdAt.getTime(), updatedAt: u.updatedAt.getTime() };
}

/** The route that serves a kept avatar: the upload id is in the path, so the bytes behind a URL never change. */
export const avatarPath = (userId: string, uploadId: string) => `/users/${encodeURIComponent(userId)}/avatar/${encodeURIComponent(uploadId)}`;

const link = v.pipe(v.string(), v.url("Each line must be a full link, like https://example.com."), v.regex(/^https?:\/\//i, "Links start with http:// or https://."), v.maxLength(2048, "A link is at most 2,048 characters."));

/**
 * The edit form, as bound fields send it (strings) and as the save receives it.
 * Limits match the JSON API's (app/api/schemas.ts), so the form refuses nothing
 * the API accepts and the other way round.
 */
export const profileForm = v.object({
  name: v.pipe(v.string("Enter your name."), v.trim(), v.minLength(1, "Enter your name."), v.maxLength(120, "At most 120 characters.")),
  bio: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(2000, "At most 2,000 characters.")), ""),
  /** One link per line. */
  links: v.optional(
    v.pipe(
      v.string(),
      v.transform((s) => s.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== "")),
      v.maxLength(MAX_LINKS, `At most ${MAX_LINKS} links.`),
      v.array(link),
    ),
    "",
  ),
  /** The id of an avatar uploaded from this page (the upload field syncs it when the upload completes). */
  avatar: v.nullish(v.pipe(v.string(), v.maxLength(64))),
});

export type ProfileForm = v.InferOutput<typeof profileForm>;
