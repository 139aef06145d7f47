import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CliError } from "./errors.mjs";

export const ADMIN_OPTIONS = {
  url: { type: "string" },
  token: { type: "string" },
  cwd: { type: "string" },
};

/** QUEUE_ADMIN_TOKEN from --token, the environment, or the app's .dev.vars (what `npm run dev` uses). */
export function adminToken(root, given) {
  if (given) return given;
  if (process.env.QUEUE_ADMIN_TOKEN) return process.env.QUEUE_ADMIN_TOKEN;
  const vars = root ? join(root, ".dev.vars") : undefined;
  if (vars && existsSync(vars)) {
    const m = /^\s*QUEUE_ADMIN_TOKEN\s*=\s*"?([^"\n]*)"?\s*$/m.exec(readFileSync(vars, "utf8"));
    if (m?.[1]) return m[1];
  }
  throw new CliError("No admin token: pass --token, set QUEUE_ADMIN_TOKEN, or put QUEUE_ADMIN_TOKEN in .dev.vars (the app must have it too).");
}

/** One call to the running app's /admin/jobs API; problem+json answers become readable errors. */
export async function adminFetch(base, token, path, init = {}) {
  const url = new URL(path, base.endsWith("/") ? base : `${base}/`);
  let res;
  try {
    res = await fetch(url, { ...init, headers: { authorization: `Bearer ${token}`, accept: "application/json", ...init.headers } });
  } catch (err) {
    throw new CliError(`Could not reach ${url.origin} (${err instanceof Error ? (err.cause?.code ?? err.message) : String(err)}). Is the app running (\`npm run dev\`)? Or pass --url, or use --local.`);
  }
  const text = await res.text();
  const body = text ? safeJson(text) : null;
  if (!res.ok) {
    const detail = body && typeof body === "object" ? (body.detail ?? body.title) : text;
    throw new CliError(`${init.method ?? "GET"} ${url.pathname} answered ${res.status}: ${detail}`);
  }
  return body;
}

function safeJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
