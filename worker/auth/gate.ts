import { grants } from "./identity";
import type { Authenticatable, AuthUser, UserProvider } from "./user";

type Verdict = boolean | Promise<boolean>;

/** Rules about one kind of subject (an article): one function per ability ("update", "delete"). */
export interface Policy<U extends Authenticatable, S> {
  /** Whether a subject is this policy's kind (rows are plain objects, so the policy says how to tell). */
  appliesTo(subject: unknown): subject is S;
  rules: Readonly<Record<string, (user: U, subject: S) => Verdict>>;
  /**
   * The token ability each rule needs when the request came with a token
   * (`update: "articles:write"`). A rule not listed here needs a token with
   * the rule's own name or "*", so an unmapped rule is never opened to every token.
   */
  tokenAbilities?: Readonly<Record<string, string>>;
}

/** Runs before every check: true allows, false denies, undefined defers to the rules (admins: `u.role === "admin" || undefined`). */
export type BeforeCheck<U> = (user: U, ability: string, subject: unknown) => boolean | undefined | Promise<boolean | undefined>;

/** Why a check failed: no user, the user may not, or the token does not carry the ability. */
export type Denial = "unauthenticated" | "denied" | "token";

export function definePolicy<U extends Authenticatable, S>(policy: Policy<U, S>): Policy<U, S> {
  return policy;
}

/**
 * Gates and policies, as Laravel has them: `gate.allows(user, "update",
 * article)` asks the policy whose `appliesTo` accepts the article;
 * `gate.allows(user, "news:write")` asks the ability's `define`d check, else
 * whether the UserProvider's abilities for the user grant it. Anything
 * unknown is denied. It holds no request state, so the same gate answers in
 * routes and in a live component's `authorize`.
 */
export class Gate<U extends Authenticatable = AuthUser> {
  readonly users: UserProvider<U>;
  readonly #abilities = new Map<string, (user: U, subject: unknown) => Verdict>();
  readonly #policies: Policy<U, unknown>[] = [];
  readonly #before: BeforeCheck<U>[] = [];

  constructor(users: UserProvider<U>) {
    this.users = users;
  }

  define(ability: string, check: (user: U, subject: unknown) => Verdict): this {
    this.#abilities.set(ability, check);
    return this;
  }

  policy<S>(policy: Policy<U, S>): this {
    this.#policies.push(policy as Policy<U, unknown>);
    return this;
  }

  before(check: BeforeCheck<U>): this {
    this.#before.push(check);
    return this;
  }

  /** Whether `user` may do `ability` (to `subject`); a missing user may do nothing. */
  async allows(user: U | undefined, ability: string, subject?: unknown): Promise<boolean> {
    if (user === undefined) return false;
    for (const check of this.#before) {
      const verdict = await check(user, ability, subject);
      if (verdict !== undefined) return verdict;
    }
    const policy = this.#policyFor(subject);
    if (policy) {
      const rule = policy.rules[ability];
      return rule ? await rule(user, subject) : false;
    }
    const defined = this.#abilities.get(ability);
    if (defined) return await defined(user, subject);
    return grants(this.users.abilities(user), ability);
  }

  /**
   * The user behind a live component's caller (or an RPC caller), loaded
   * through the UserProvider: `gate.allows(await gate.userOf(caller, this.env), …)`
   * in `authorize`. The id came from a signed mount token, so it is the user
   * the page was rendered for.
   */
  async userOf(caller: { readonly user?: string | undefined }, env: Cloudflare.Env): Promise<U | undefined> {
    return caller.user === undefined ? undefined : this.users.find(caller.user, env);
  }

  /** The token ability a check needs (see Policy.tokenAbilities); abilities checked by name need themselves. */
  tokenAbility(ability: string, subject?: unknown): string {
    return this.#policyFor(subject)?.tokenAbilities?.[ability] ?? ability;
  }

  /** A check for a request: the user may, and the request's token (if any) carries the ability. */
  async check(user: U | undefined, tokenAbilities: readonly string[] | undefined, ability: string, subject?: unknown): Promise<Denial | undefined> {
    if (user === undefined) return "unauthenticated";
    if (tokenAbilities !== undefined && !grants(tokenAbilities, this.tokenAbility(ability, subject))) return "token";
    return (await this.allows(user, ability, subject)) ? undefined : "denied";
  }

  #policyFor(subject: unknown): Policy<U, unknown> | undefined {
    if (subject === undefined || subject === null) return undefined;
    return this.#policies.find((p) => p.appliesTo(subject));
  }
}

/** The app's gate over its UserProvider; add `define`, `policy` and `before` rules to it. */
export function defineGate<U extends Authenticatable = AuthUser>(users: UserProvider<U>): Gate<U> {
  return new Gate(users);
}
