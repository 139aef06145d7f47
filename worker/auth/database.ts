import { drizzle, type DrizzleD1Database } from "drizzle-orm/d1";
import type { RequestContext } from "../http/context";

/** The D1 binding holding the sign-in tables (config/login.ts `binding`): remember_tokens, auth_tokens, api_tokens; undefined when the Worker has none. */
export function authD1(c: Pick<RequestContext, "env" | "config">): D1Database | undefined {
  return (c.env as unknown as Record<string, D1Database | undefined>)[c.config.login.binding];
}

/** The sign-in tables' database, or a clear error naming the missing binding. */
export function authDatabase(c: Pick<RequestContext, "env" | "config">): DrizzleD1Database {
  return drizzle(requireAuthD1(c));
}

export function requireAuthD1(c: Pick<RequestContext, "env" | "config">): D1Database {
  const d1 = authD1(c);
  if (!d1) throw new Error(`Sign-in needs a D1 binding named ${c.config.login.binding} (AUTH_D1_BINDING) with the framework's remember_tokens, auth_tokens and api_tokens tables.`);
  return d1;
}
