import { TooManyRequestsError } from "../http/errors";
import type { RequestContext } from "../http/context";
import { digest } from "../http/session/sealed";

/**
 * Sign-in throttling through Cloudflare's Rate Limiting binding: one limiter
 * keyed by email (guessing one account's password), one by client IP
 * (trying many accounts). Every attempt counts against both. The binding
 * only answers yes or no, so a refusal's Retry-After is the binding's whole
 * period, an upper bound. Emails are hashed so no address sits in a key.
 */
export async function throttle(c: Pick<RequestContext, "env" | "config" | "request">, scope: string, email: string | undefined): Promise<number | undefined> {
  const cfg = c.config.login.throttle;
  const ip = c.request.headers.get("cf-connecting-ip") ?? "unknown";
  const checks = [limiter(c, cfg.ipBinding).limit({ key: `${scope}:ip:${ip}` })];
  if (email !== undefined && email !== "") checks.push(limiter(c, cfg.emailBinding).limit({ key: `${scope}:email:${await digest(email.trim().toLowerCase())}` }));
  const outcomes = await Promise.all(checks);
  return outcomes.every((o) => o.success) ? undefined : cfg.periodSeconds;
}

/**
 * The answer to a refused attempt: for a browser form (Accept: text/html) a
 * page saying how long to wait, otherwise a 429 problem; both with Retry-After.
 */
export function tooManyAttempts(c: Pick<RequestContext, "request">, retryAfterSeconds: number): Response {
  if (!(c.request.headers.get("accept") ?? "").includes("text/html")) throw new TooManyRequestsError(retryAfterSeconds);
  const body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Too many attempts</title></head>
<body><main><h1>Too many attempts</h1>
<p>Please wait ${retryAfterSeconds} seconds, then go back and try again.</p>
</main></body></html>`;
  return new Response(body, { status: 429, headers: { "content-type": "text/html; charset=utf-8", "retry-after": String(retryAfterSeconds), "cache-control": "no-store" } });
}

function limiter(c: Pick<RequestContext, "env">, name: string): RateLimit {
  const binding = (c.env as unknown as Record<string, RateLimit | undefined>)[name];
  if (!binding || typeof binding.limit !== "function") throw new Error(`Login throttling needs a Rate Limiting binding named ${name} ([[ratelimits]] in wrangler.toml).`);
  return binding;
}
