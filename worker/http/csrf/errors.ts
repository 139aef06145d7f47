import { HttpError } from "../errors";

/** A state-changing browser request without a valid CSRF token or from another origin. */
export class CsrfError extends HttpError {
  constructor(detail: string) {
    super(403, { title: "CSRF Check Failed", type: "https://stratus.dev/problems/csrf", detail });
    this.name = "CsrfError";
  }
}

/** What a person who submitted an old form sees: the page expired, go back and reload. */
export function expiredPage(): Response {
  const body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Page expired</title></head>
<body><main><h1>This form has expired</h1>
<p>The page was open too long or your session changed. Go back, reload the page and submit the form again.</p>
</main></body></html>`;
  return new Response(body, { status: 403, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" } });
}
