import { env, exports } from "cloudflare:workers";
import { expect } from "vitest";
import { connectLive, type LiveClient } from "stratus/testing";
import { as, call } from "./support";

export const ORIGIN = "http://localhost:8787";
export const profile = (id: string) => env.USER_PROFILE.getByName(id);

/** The /users/:id page as `headers`' user sees it, with the mount token it was rendered with. */
export async function page(id: string, headers: Record<string, string> = {}): Promise<{ status: number; html: string; token: string }> {
  const res = await call("GET", `/users/${id}`, undefined, { ...headers, accept: "text/html" });
  const html = await res.text();
  return { status: res.status, html, token: /data-live-token="([^"]+)"/.exec(html)?.[1] ?? "" };
}

/** A viewer's socket through /live, signed in as `user` (their own page's token, their session) or anonymous. */
export async function viewer(id: string, user?: { id: string }): Promise<LiveClient & { headers: Record<string, string>; token: string }> {
  const headers = user ? await as(user) : {};
  const { token } = await page(id, headers);
  const c = await connectLive(exports.default, "user-profile", id, { secret: env.APP_KEY, token, headers });
  await c.hello();
  return Object.assign(c, { headers, token });
}

/** What the socket's page shows now. */
export const shows = (c: LiveClient, text: string) => c.html().includes(text);

/** Sends bound fields (a `model` frame asking for validation) and returns the answer. */
export async function model(c: LiveClient, fields: Record<string, unknown>) {
  const id = crypto.randomUUID();
  c.send({ type: "model", id, fields, validate: true });
  await c.until((x) => x.frames.some((f) => (f.type === "ack" || f.type === "error") && f.id === id));
  return c.frames.find((f) => (f.type === "ack" || f.type === "error") && f.id === id)!;
}

/** A real 1x1 PNG padded to `size` bytes. */
export function png(size = 200): Uint8Array {
  const head = Uint8Array.from(atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="), (ch) => ch.charCodeAt(0));
  const out = new Uint8Array(Math.max(size, head.length)).fill(7);
  out.set(head);
  return out;
}

/** The framework's upload routes, as the browser runtime calls them, with a viewer's mount token and session. */
export function uploader(id: string, v: { token: string; headers: Record<string, string> }) {
  const base = `http://example.com/live/user-profile/${id}/uploads`;
  const send = (path: string, init: RequestInit) =>
    exports.default.fetch(base + path, { ...init, headers: { origin: ORIGIN, "x-stratus-token": v.token, ...v.headers, ...(init.headers as Record<string, string> | undefined) } });
  return {
    start: (meta: { name: string; type: string; size: number }) => send("", { method: "POST", body: JSON.stringify({ ...meta, field: "avatar" }), headers: { "content-type": "application/json" } }),
    async upload(name: string, type: string, bytes: Uint8Array): Promise<string> {
      const started = await this.start({ name, type, size: bytes.byteLength });
      expect(started.status, await started.clone().text()).toBe(200);
      const { id: upload, chunkSize } = await started.json<{ id: string; chunkSize: number }>();
      for (let part = 1, at = 0; at < bytes.byteLength; part++, at += chunkSize) {
        const r = await send(`/${upload}/${part}`, { method: "PUT", body: bytes.slice(at, at + chunkSize) });
        expect(r.status, await r.clone().text()).toBe(200);
      }
      const done = await send(`/${upload}/complete`, { method: "POST" });
      expect(done.status, await done.clone().text()).toBe(200);
      return upload;
    },
    put: (upload: string, part: number, body: Uint8Array) => send(`/${upload}/${part}`, { method: "PUT", body }),
  };
}

export async function d1User(id: string) {
  return env.DB.prepare("select name, bio, links, avatar_key, avatar_url, updated_at from users where id = ?").bind(id).first<{ name: string; bio: string | null; links: string; avatar_key: string | null; avatar_url: string | null; updated_at: number }>();
}
