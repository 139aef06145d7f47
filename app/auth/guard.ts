import { AUTH_USER_KEY, sessionUserId, type RequestContext } from "stratus";
import type { User } from "../db/schema";
import { redirect } from "./forms";
import { users } from "./services";

const INTENDED = "url.intended";

/**
 * The signed-in user, or a redirect to /login that keeps where they were
 * going (a page they asked for by GET; stored in the session, so it is always
 * a path on this site). A session naming a deleted user counts as signed out.
 */
export async function signedInUser(c: RequestContext): Promise<User | Response> {
  const id = sessionUserId(c);
  const user = id === undefined ? undefined : await users(c).find(id);
  if (user) return user;
  if (id !== undefined) c.session.forget(AUTH_USER_KEY);
  if (c.request.method === "GET") c.session.put(INTENDED, c.url.pathname + c.url.search);
  return redirect("/login");
}

/** Where to go after signing in: the page that sent the user to /login, else /account. */
export function intendedUrl(c: RequestContext): string {
  const url = c.session.pull<string>(INTENDED);
  return typeof url === "string" && url.startsWith("/") && !url.startsWith("//") ? url : "/account";
}
