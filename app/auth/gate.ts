import { defineGate, definePolicy } from "stratus";
import type { Article, User } from "../db/schema";
import { users } from "./users";

const isArticle = (x: unknown): x is Article => typeof x === "object" && x !== null && "authorId" in x && "slug" in x;
const isUser = (x: unknown): x is User => typeof x === "object" && x !== null && "email" in x && "role" in x;

/** Authors change their own articles; editors (news:write) change anyone's. */
export const articlePolicy = definePolicy<User, Article>({
  appliesTo: isArticle,
  rules: {
    update: (user, article) => article.authorId === user.id || user.role === "editor",
    delete: (user, article) => article.authorId === user.id || user.role === "editor",
  },
  tokenAbilities: { update: "articles:write", delete: "articles:write" },
});

/** A user changes only their own profile. */
export const userPolicy = definePolicy<User, User>({
  appliesTo: isUser,
  rules: {
    update: (user, profile) => profile.id === user.id,
    delete: (user, profile) => profile.id === user.id,
  },
  tokenAbilities: { update: "profile:write", delete: "profile:write" },
});

/** A user's private notepad (the live Notepad component, keyed by its owner's id). */
export interface NotepadSubject {
  kind: "notepad";
  ownerId: string;
}

/** Only the owner writes in a notepad (admins too, by the gate's before rule). */
export const notepadPolicy = definePolicy<User, NotepadSubject>({
  appliesTo: (x): x is NotepadSubject => typeof x === "object" && x !== null && (x as { kind?: unknown }).kind === "notepad",
  rules: { write: (user, pad) => pad.ownerId === user.id },
});

/**
 * The app's gate. Admins pass every user check first (a token still narrows
 * what an admin's token may do: that check comes before the gate).
 */
export const gate = defineGate(users)
  .before((user) => (user.role === "admin" ? true : undefined))
  .policy(articlePolicy)
  .policy(userPolicy)
  .policy(notepadPolicy);

