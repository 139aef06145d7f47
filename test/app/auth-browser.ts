import { exports } from "cloudflare:workers";

export const ORIGIN = "http://localhost:8787";

/**
 * A browser's part in the sign-in pages: a cookie jar, the CSRF token of the
 * last page that had a form, and no automatic redirects (tests look at them).
 */
export class PageBrowser {
  readonly jar = new Map<string, string>();
  /** Every Set-Cookie line of the last response. */
  lastSetCookies: string[] = [];
  #token: string | undefined;
  constructor(readonly ip = `192.0.2.${Math.floor(Math.random() * 250) + 1}`) {}

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    const res = await this.#send(path, { method: "GET", headers: { accept: "text/html", ...headers } });
    return res;
  }

  /** The page's HTML; also keeps its CSRF token for the next post. */
  async page(path: string): Promise<{ res: Response; body: string }> {
    const res = await this.get(path);
    const body = await res.text();
    const token = /name="_token" value="([^"]+)"/.exec(body)?.[1];
    if (token) this.#token = token;
    return { res, body };
  }

  async post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
    const form = new URLSearchParams({ ...(this.#token ? { _token: this.#token } : {}), ...fields });
    return this.#send(path, { method: "POST", body: form, headers: { accept: "text/html", origin: ORIGIN, "content-type": "application/x-www-form-urlencoded", ...headers } });
  }

  /** Follows a 303 the way a browser does: GET the location and read the page. */
  async follow(res: Response): Promise<{ res: Response; body: string }> {
    const location = res.headers.get("location");
    if (res.status !== 303 || !location) throw new Error(`expected a 303, got ${res.status}: ${await res.text()}`);
    return this.page(location.startsWith("http") ? new URL(location).pathname + new URL(location).search : location);
  }

  forget(name: string): void {
    this.jar.delete(name);
  }

  async #send(path: string, init: RequestInit & { headers: Record<string, string> }): Promise<Response> {
    const headers: Record<string, string> = { "cf-connecting-ip": this.ip, ...init.headers };
    if (this.jar.size > 0) headers.cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join("; ");
    const res = await exports.default.fetch(new Request(ORIGIN + path, { ...init, headers, redirect: "manual" }));
    this.lastSetCookies = res.headers.getSetCookie();
    for (const line of this.lastSetCookies) {
      const pair = line.split(";")[0]!;
      const eq = pair.indexOf("=");
      if (/Max-Age=0\b/.test(line)) this.jar.delete(pair.slice(0, eq));
      else this.jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    return res;
  }
}

/** Polls until `check` gives a value (a queued mail reaches the outbox through the local Queues broker). */
export async function eventually<T>(check: () => T | undefined | Promise<T | undefined>, ms = 8_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The first link in a mail's HTML whose path starts with `prefix`, as a path. */
export function linkIn(html: string, prefix: string): string {
  const href = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, "&")).find((h) => new URL(h, ORIGIN).pathname.startsWith(prefix));
  if (!href) throw new Error(`no ${prefix} link in ${html}`);
  return new URL(href, ORIGIN).pathname;
}
