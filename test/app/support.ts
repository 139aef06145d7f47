import { env, exports } from "cloudflare:workers";
import { actingAs, type ActingAsOptions } from "stratus/testing";

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  kind?: string;
  errors?: { in: string; path: string; message: string }[];
}

const BASE = "http://example.com";

export function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  // manual: a test sees the redirect itself (the Worker entry would otherwise follow it).
  const init: RequestInit = { method, headers: { ...headers }, redirect: "manual" };
  if (body !== undefined) {
    init.body = typeof body === "string" ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)["content-type"] ??= "application/json";
  }
  return exports.default.fetch(new Request(BASE + path, init));
}

export async function created<T>(path: string, body: unknown, headers: Record<string, string> = {}): Promise<T> {
  const res = await call("POST", path, body, headers);
  if (res.status !== 201) throw new Error(`POST ${path} -> ${res.status}: ${await res.text()}`);
  return res.json<T>();
}

let n = 0;
/** Unique per call within a test file (storage is per file). */
export function unique(label: string): string {
  n += 1;
  return `${label}-${n}`;
}

export interface SeededUser {
  id: string;
  email: string;
  role: "member" | "editor" | "admin";
}

/** A user row written straight to D1 (registration is the sign-in pages' job; roles are not API-settable). */
export async function seedUser(role: SeededUser["role"] = "member", name = "Someone"): Promise<SeededUser> {
  const id = crypto.randomUUID();
  const email = `${unique(role)}@example.com`;
  const now = Date.now();
  await env.DB.prepare("insert into users (id, email, name, role, created_at, updated_at) values (?, ?, ?, ?, ?, ?)").bind(id, email, name, role, now, now).run();
  return { id, email, role };
}

/** Headers that make a request come from `user` (a session by default; `{ via: "token", abilities }` for a token). */
export async function as(user: { id: string }, options?: ActingAsOptions): Promise<Record<string, string>> {
  return (await actingAs(user.id, options)).headers;
}
