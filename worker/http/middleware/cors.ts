import type { AppConfig } from "../../config";
import { defineMiddleware, type Middleware } from "../compose";
import { appendToken, withHeaders } from "../headers";

export type CorsOptions = AppConfig["app"]["http"]["cors"];

type Entry = readonly [string, string];

interface Compiled {
  /** The headers for an origin, or undefined when it is not allowed. Listed origins' lists are built once. */
  preflight: (origin: string) => readonly Entry[] | undefined;
  actual: (origin: string) => readonly Entry[] | undefined;
  /** The answer depends on the Origin header unless every origin gets the same "*". */
  varies: boolean;
}

function compile(o: CorsOptions): Compiled {
  const any = o.origins.includes("*");
  // With credentials the origin must be echoed, never "*".
  const star = any && !o.credentials;
  const common: Entry[] = o.credentials && !any ? [["access-control-allow-credentials", "true"]] : [];
  const forOrigins = (rest: readonly Entry[]) => {
    const allow = (origin: string): Entry[] => [["access-control-allow-origin", star ? "*" : origin], ...rest];
    const listed = new Map(o.origins.filter((x) => x !== "*").map((x) => [x, allow(x)] as const));
    const everyone = star ? allow("*") : undefined;
    return (origin: string) => listed.get(origin) ?? everyone ?? (any ? allow(origin) : undefined);
  };
  return {
    preflight: forOrigins([
      ...common,
      ["access-control-allow-methods", o.methods.join(", ")],
      ["access-control-allow-headers", o.headers.join(", ")],
      ["access-control-max-age", String(o.maxAge)],
    ]),
    actual: forOrigins(o.exposeHeaders.length > 0 ? [...common, ["access-control-expose-headers", o.exposeHeaders.join(", ")]] : common),
    varies: !star,
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

  return defineMiddleware({
    name: "cors",
    request(c) {
      if (c.request.method !== "OPTIONS" || !c.request.headers.has("access-control-request-method")) return;
      const origin = c.request.headers.get("origin");
      if (origin === null) return;
      const s = settings(c.config.app.http.cors);
      const res = new Response(null, { status: 204 });
      const entries = s.preflight(origin);
      if (entries) withHeaders(res, entries);
      if (s.varies) res.headers.set("vary", "origin, access-control-request-method, access-control-request-headers");
      return res;
    },
    response(c, res) {
      const origin = c.request.headers.get("origin");
      if (origin === null) return res;
      const s = settings(c.config.app.http.cors);
      const entries = s.actual(origin);
      const out = entries ? withHeaders(res, entries) : res;
      return s.varies ? appendToken(out, "vary", "origin") : out;
    },
  });
}
