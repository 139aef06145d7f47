import type { User } from "../db/schema";

export type Role = User["role"];

/**
 * What each role may do. Members write their own articles and profile;
 * editors also run the news desk (any article, the live news component);
 * admins may do anything. API tokens can only narrow these.
 */
export const ROLE_ABILITIES: Readonly<Record<Role, readonly string[]>> = {
  member: ["articles:write", "profile:write"],
  editor: ["articles:write", "profile:write", "news:write"],
  admin: ["*"],
};

/** The abilities a token may be given (the /account form lists them). */
export const TOKEN_ABILITIES = ["articles:write", "profile:write", "news:write"] as const;
