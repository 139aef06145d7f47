/** What the framework needs of a user: a stable string id. Apps add their own fields. */
export interface Authenticatable {
  readonly id: string;
}

/**
 * The app names its user type here by module augmentation, and `c.user` has
 * that type everywhere:
 *
 *     declare module "stratus" { interface AuthRegister { user: User } }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface AuthRegister {}

/** The app's user type (see AuthRegister), else Authenticatable. */
export type AuthUser = AuthRegister extends { user: infer U extends Authenticatable } ? U : Authenticatable;

/**
 * Loads users for identify() and for live components. It takes `env` rather
 * than a request, so a Durable Object (which has no request context) can load
 * the caller the same way a route does.
 */
export interface UserProvider<U extends Authenticatable = AuthUser> {
  find(id: string, env: Cloudflare.Env): Promise<U | undefined>;
  /** What the user may do, as ability strings ("articles:write", "*" for all). Tokens can only narrow this. */
  abilities(user: U): readonly string[];
}

/** The session key the signed-in user's id is kept under (written by login(), read by identify()). */
export const SESSION_USER_KEY = "auth.user";
