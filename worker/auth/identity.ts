import type { Gate } from "./gate";
import { AuthenticationError, AuthorizationError, InsufficientAbilityError } from "./errors";
import type { Authenticatable } from "./user";

/** The personal access token a request came with (never the secret). */
export interface TokenInfo {
  readonly id: string;
  readonly name: string;
  readonly abilities: readonly string[];
}

/**
 * Who is asking, as identify() found out: the user (or none), how they proved
 * it, the token's abilities when it was a token, and the app's gate to ask.
 */
export class Identity<U extends Authenticatable = Authenticatable> {
  constructor(
    readonly user: U | undefined,
    readonly via: "session" | "token" | "none",
    readonly gate: Gate<U> | undefined,
    readonly token?: TokenInfo,
  ) {}

  /** Whether this request may do `ability` (to `subject`): the gate allows the user and the token (if any) carries it. */
  async can(ability: string, subject?: unknown): Promise<boolean> {
    return (await this.#denial(ability, subject)) === undefined;
  }

  /** As `can`, but throws the 401 or 403 problem a route should answer with. */
  async authorize(ability: string, subject?: unknown): Promise<void> {
    const denial = await this.#denial(ability, subject);
    if (denial === "unauthenticated") throw new AuthenticationError();
    if (denial === "token") throw new InsufficientAbilityError(this.gate!.tokenAbility(ability, subject));
    if (denial === "denied") throw new AuthorizationError(ability);
  }

  #denial(ability: string, subject: unknown) {
    if (!this.gate) throw new Error("No gate: pass the app's gate to identify(gate) before checking abilities.");
    return this.gate.check(this.user, this.token?.abilities, ability, subject);
  }
}

export const ANONYMOUS: Identity<never> = new Identity<never>(undefined, "none", undefined);

/** `"*"` grants everything; `"articles:*"` grants every `articles:` ability. */
export function grants(list: readonly string[], ability: string): boolean {
  for (const a of list) {
    if (a === "*" || a === ability) return true;
    if (a.endsWith(":*") && ability.startsWith(a.slice(0, -1))) return true;
  }
  return false;
}

/** Where identify() leaves the request's identity for `c.user` and `c.identity`. */
export const IDENTITY_SLOT = Symbol.for("stratus.identity");

export interface IdentitySlot {
  [IDENTITY_SLOT]?: Identity | undefined;
}
