import { exports } from "cloudflare:workers";

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
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === "string" ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)["content-type"] ??= "application/json";
  }
  return exports.default.fetch(new Request(BASE + path, init));
}

export async function created<T>(path: string, body: unknown): Promise<T> {
  const res = await call("POST", path, body);
  if (res.status !== 201) throw new Error(`POST ${path} -> ${res.status}: ${await res.text()}`);
  return res.json<T>();
}

let n = 0;
/** Unique per call within a test file (storage is per file). */
export function unique(label: string): string {
  n += 1;
  return `${label}-${n}`;
}
