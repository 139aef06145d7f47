import type { Middleware } from "../../../worker/http/compose";
import type { Router } from "../../../worker/routing/router";
import { testApp, type TestApp } from "../../support/app";

/** The session cookie a response set, as a Cookie header value (name=value). */
export function sessionCookie(res: Response, name = "stratus_session"): string | undefined {
  for (const line of res.headers.getSetCookie()) {
    const pair = line.split(";")[0]!;
    if (pair.startsWith(`${name}=`)) return pair;
  }
  return undefined;
}

/** A test app whose requests carry the cookie the previous response set, as a browser would. */
export function browser(options: { middleware: Middleware[]; routes: (r: Router) => void; env?: Record<string, string | undefined> }): TestApp & { cookie: string | undefined } {
  const t = testApp(options);
  const b = {
    ...t,
    cookie: undefined as string | undefined,
    async fetch(path: string, init: RequestInit = {}): Promise<Response> {
      const headers = new Headers(init.headers);
      if (b.cookie !== undefined && !headers.has("cookie")) headers.set("cookie", b.cookie);
      const res = await t.fetch(path, { ...init, headers });
      const set = res.headers.getSetCookie().find((l) => l.startsWith("stratus_session="));
      if (set !== undefined) b.cookie = set.includes("Max-Age=0") ? undefined : set.split(";")[0];
      return res;
    },
  };
  return b;
}

/** A cookie jar for every cookie the app sets (session and remember-me), as a browser keeps them. */
export function jarBrowser(options: { middleware: Middleware[]; routes: (r: Router) => void; env?: Record<string, string | undefined> }): TestApp & { jar: Map<string, string>; fetch(path: string, init?: RequestInit): Promise<Response> } {
  const t = testApp(options);
  const jar = new Map<string, string>();
  return {
    ...t,
    jar,
    async fetch(path, init = {}) {
      const headers = new Headers(init.headers);
      if (jar.size > 0 && !headers.has("cookie")) headers.set("cookie", [...jar].map(([k, v]) => `${k}=${v}`).join("; "));
      const res = await t.fetch(path, { ...init, headers });
      for (const line of res.headers.getSetCookie()) {
        const pair = line.split(";")[0]!;
        const eq = pair.indexOf("=");
        const name = pair.slice(0, eq);
        if (/Max-Age=0\b/.test(line)) jar.delete(name);
        else jar.set(name, pair.slice(eq + 1));
      }
      return res;
    },
  };
}
