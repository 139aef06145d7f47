import { drizzle, type DrizzleD1Database } from "drizzle-orm/d1";
import type { RequestContext } from "../http/context";

/** The D1 database holding the sign-in tables (config/login.ts `binding`). */
export function authDatabase(c: Pick<RequestContext, "env" | "config">): DrizzleD1Database {
  const name = c.config.login.binding;
  const d1 = (c.env as unknown as Record<string, D1Database | undefined>)[name];
  if (!d1) throw new Error(`Sign-in needs a D1 binding named ${name} (AUTH_D1_BINDING) with the framework's remember_tokens and auth_tokens tables.`);
  return drizzle(d1);
}
