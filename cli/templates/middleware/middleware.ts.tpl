import { defineMiddleware, type Middleware } from "stratus";

/**
 * {{Name}} middleware. `request` may answer early (return a Response) or return nothing to go on;
 * `response` sees every response on the way out. Use: `{ middleware: [{{factory}}()] }`.
 */
export function {{factory}}(): Middleware {
  return defineMiddleware({
    name: "{{factory}}",
    response(_c, res) {
      const headers = new Headers(res.headers);
      headers.set("x-{{kebab}}", "1");
      return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
    },
  });
}
