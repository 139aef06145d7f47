import { env as workerEnv } from "cloudflare:workers";
import { ApiTokens } from "../auth/tokens/api-tokens";
import { SESSION_USER_KEY, type Authenticatable } from "../auth/user";
import { D1SessionStore } from "../http/session/d1-store";
import type { SessionRecord } from "../http/session/record";
import { randomToken, seal } from "../http/session/sealed";

export interface ActingAsOptions {
  /** "session" (default): a signed-in browser's cookie. "token": a real personal access token in D1. */
  via?: "session" | "token";
  /** The token's abilities (via "token"); `["*"]` by default. */
  abilities?: readonly string[];
  /** Token expiry, ms since the epoch (via "token"). */
  expiresAt?: number;
  /** The bindings and vars to use; the test Worker's env by default. */
  env?: Cloudflare.Env;
}

export interface ActingAs {
  userId: string;
  /** Headers that make a request come from the user: `cookie` plus `x-csrf-token`, or `authorization`. */
  headers: Record<string, string>;
  /** The plaintext token (via "token"). */
  token?: string;
  /** The session's CSRF token (via "session"). */
  csrfToken?: string;
}

/**
 * Credentials for a test request as `user`: a session cookie sealed with the
 * app's APP_KEY, exactly as login() leaves one (cookie or d1 driver, from
 * SESSION_DRIVER), or a personal access token stored in D1. Nothing is
 * bypassed: identify(), csrf() and the gate see a real request.
 */
export async function actingAs(user: string | Authenticatable, options: ActingAsOptions = {}): Promise<ActingAs> {
  const env = (options.env ?? workerEnv) as Cloudflare.Env & Record<string, unknown>;
  const userId = typeof user === "string" ? user : user.id;
  if (options.via === "token") {
    const { plaintext } = await new ApiTokens(binding(env, "DB")).create({
      userId,
      name: "actingAs",
      abilities: options.abilities ?? ["*"],
      ...(options.expiresAt !== undefined ? { expiresAt: options.expiresAt } : {}),
    });
    return { userId, token: plaintext, headers: { authorization: `Bearer ${plaintext}` } };
  }
  const csrfToken = randomToken();
  const now = Date.now();
  const record: SessionRecord = { id: randomToken(), data: { [SESSION_USER_KEY]: userId, _token: csrfToken }, flash: { new: [], old: [] }, createdAt: now, lastSeenAt: now };
  const name = str(env.SESSION_COOKIE) ?? "stratus_session";
  const key = str(env.APP_KEY);
  if (key === undefined) throw new Error("actingAs needs APP_KEY in the env to seal the session cookie.");
  let contents: unknown = record;
  if (str(env.SESSION_DRIVER) === "d1") {
    contents = await new D1SessionStore(binding(env, str(env.SESSION_D1_BINDING) ?? "DB")).write(record, now + 60 * 60_000, undefined);
  }
  const cookie = `${name}=${await seal({ current: key, previous: [] }, name, contents)}`;
  return { userId, csrfToken, headers: { cookie, "x-csrf-token": csrfToken } };
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function binding(env: Record<string, unknown>, name: string): D1Database {
  const db = env[name];
  if (typeof db !== "object" || db === null) throw new Error(`actingAs needs the D1 binding ${name}.`);
  return db as D1Database;
}
