import type { AppConfig } from "../../../config";
import type { Middleware } from "../compose";
import { appendToken, withHeaders } from "../headers";

export type CorsOptions = AppConfig["app"]["http"]["cors"];

interface Compiled {
  any: boolean;
  origins: ReadonlySet<string>;
  credentials: boolean;
  preflight: readonly (readonly [string, string])[];
  actual: readonly (readonly [string, string])[];
}

function compile(o: CorsOptions): Compiled {
  const any = o.origins.includes("*");
  const common: [string, string][] = o.credentials && !any ? [["access-control-allow-credentials", "true"]] : [];
  return {
    any,
    origins: new Set(o.origins),
    credentials: o.credentials,
    preflight: [
      ...common,
      ["access-control-allow-methods", o.methods.join(", ")],
      ["access-control-allow-headers", o.headers.join(", ")],
      ["access-control-max-age", String(o.maxAge)],
    ],
    actual: o.exposeHeaders.length > 0 ? [...common, ["access-control-expose-headers", o.exposeHeaders.join(", ")]] : common,
  };
}

/**
 * CORS from `config/app.ts` (`http.cors`), or from explicit options. Preflights
 * (OPTIONS with Access-Control-Request-Method) are answered here with 204;
 * a disallowed origin gets no CORS headers at all, so the browser blocks it.
 */
export function cors(options?: CorsOptions): Middleware {
  const fixed = options ? compile(options) : undefined;
  let fromConfig: { source: CorsOptions; compiled: Compiled } | undefined;
  const settings = (source: CorsOptions): Compiled => {
    if (fixed) return fixed;
    if (fromConfig?.source !== source) fromConfig = { source, compiled: compile(source) };
    return fromConfig.compiled;
  };

  return async (c, next) => {
    const origin = c.request.headers.get("origin");
    if (origin === null) return next();
    const s = settings(c.config.app.http.cors);
    const allowed = s.any || s.origins.has(origin);
    // With credentials the origin must be echoed, never "*".
    const allowOrigin: [string, string] = ["access-control-allow-origin", s.any && !s.credentials ? "*" : origin];
    const varies = !s.any || s.credentials;

    if (c.request.method === "OPTIONS" && c.request.headers.has("access-control-request-method")) {
      const res = new Response(null, { status: 204 });
      if (allowed) withHeaders(res, [allowOrigin, ...s.preflight]);
      if (varies) res.headers.set("vary", "origin, access-control-request-method, access-control-request-headers");
      return res;
    }

    const res = await next();
    if (!allowed) return varies ? appendToken(res, "vary", "origin") : res;
    const out = withHeaders(res, [allowOrigin, ...s.actual]);
    return varies ? appendToken(out, "vary", "origin") : out;
  };
}
