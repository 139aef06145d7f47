import { describe, expect, it } from "vitest";
import { seal } from "../../../worker/http/session/sealed";
import { session } from "../../../worker/http/session/index";
import { browser, sessionCookie } from "./support";
import type { Router } from "../../../worker/routing/router";

const routes = (r: Router) => {
  r.get("/put/:key/:value", (c) => (c.session.put(c.params.key!, c.params.value), { ok: true }));
  r.get("/get/:key", (c) => ({ value: c.session.get(c.params.key!) ?? null }));
  r.get("/forget/:key", (c) => (c.session.forget(c.params.key!), { ok: true }));
  r.get("/flash/:value", (c) => (c.session.flash("status", c.params.value), { ok: true }));
  r.get("/old", (c) => (c.session.flashInput({ email: "a@example.com" }), { ok: true }));
  r.get("/read-old", (c) => ({ email: c.session.old("email", null) }));
  r.get("/id", (c) => ({ id: c.session.id }));
  r.get("/regenerate", (c) => (c.session.regenerate(), { id: c.session.id }));
  r.get("/invalidate", (c) => (c.session.invalidate(), { ok: true }));
  r.get("/big", (c) => (c.session.put("blob", "x".repeat(5000)), { ok: true }));
  r.get("/none", () => ({ ok: true }));
};

const app = (env: Record<string, string | undefined> = {}) => browser({ middleware: [session()], routes, env });

describe("session() with the cookie store", () => {
  it("keeps values across requests and forgets them", async () => {
    const b = app();
    await b.fetch("/put/name/ada");
    expect(await (await b.fetch("/get/name")).json()).toEqual({ value: "ada" });
    await b.fetch("/forget/name");
    expect(await (await b.fetch("/get/name")).json()).toEqual({ value: null });
  });

  it("sets HttpOnly, SameSite=Lax, Secure, a Max-Age and Vary: Cookie; no cookie for an untouched session", async () => {
    const b = app();
    expect((await b.fetch("/none")).headers.getSetCookie()).toEqual([]);
    const res = await b.fetch("/put/a/1");
    const line = res.headers.getSetCookie()[0]!;
    expect(line).toMatch(/^stratus_session=[A-Za-z0-9_-]+; Path=\/; Max-Age=7200; HttpOnly; SameSite=Lax; Secure$/);
    expect(res.headers.get("vary")).toContain("Cookie");
  });

  it("drops Secure in development only", async () => {
    const b = app({ APP_ENV: "development" });
    const line = (await b.fetch("/put/a/1")).headers.getSetCookie()[0]!;
    expect(line).not.toContain("Secure");
  });

  it("does not expose the data in the cookie (it is encrypted)", async () => {
    const b = app();
    await b.fetch("/put/secret/hunter2");
    const value = b.cookie!.split("=")[1]!;
    expect(atob(value.replace(/-/g, "+").replace(/_/g, "/"))).not.toContain("hunter2");
  });

  it("flash data survives exactly one following request", async () => {
    const b = app();
    await b.fetch("/flash/saved");
    expect(await (await b.fetch("/get/status")).json()).toEqual({ value: "saved" });
    expect(await (await b.fetch("/get/status")).json()).toEqual({ value: null });
  });

  it("old input survives exactly one following request", async () => {
    const b = app();
    await b.fetch("/old");
    expect(await (await b.fetch("/read-old")).json()).toEqual({ email: "a@example.com" });
    expect(await (await b.fetch("/read-old")).json()).toEqual({ email: null });
  });

  it("a tampered cookie gives a fresh session, not an error", async () => {
    const b = app();
    await b.fetch("/put/name/ada");
    const [name, value] = b.cookie!.split("=") as [string, string];
    const flipped = value.slice(0, 20) + (value[20] === "A" ? "B" : "A") + value.slice(21);
    for (const bad of [`${name}=${flipped}`, `${name}=garbage!!`, `${name}=`, `${name}=${value.slice(0, 10)}`]) {
      const res = await b.fetch("/get/name", { headers: { cookie: bad } });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ value: null });
    }
  });

  it("a cookie sealed under a previous key still reads after rotation, and is re-sealed with the new key", async () => {
    const before = app({ APP_KEY: "old-key-0123456789abcdef0123456789abcdef" });
    await before.fetch("/put/name/ada");
    const rotated = app({ APP_KEY: "new-key-0123456789abcdef0123456789abcdef", APP_PREVIOUS_KEYS: "unrelated-key, old-key-0123456789abcdef0123456789abcdef" });
    rotated.cookie = before.cookie;
    expect(await (await rotated.fetch("/get/name")).json()).toEqual({ value: "ada" });
    // The response re-sealed it with the current key: it now reads without the previous keys.
    const after = app({ APP_KEY: "new-key-0123456789abcdef0123456789abcdef" });
    after.cookie = rotated.cookie;
    expect(await (await after.fetch("/get/name")).json()).toEqual({ value: "ada" });
    // And a key that was never in the ring reads nothing.
    const stranger = app({ APP_KEY: "other-key-0123456789abcdef0123456789abcdef" });
    stranger.cookie = before.cookie;
    expect(await (await stranger.fetch("/get/name")).json()).toEqual({ value: null });
  });

  it("an oversized session is a clear 500, not a cookie the browser drops", async () => {
    const b = app();
    const res = await b.fetch("/big");
    expect(res.status).toBe(500);
    const body = (await res.json()) as { type: string; detail: string; limit: number; bytes: number };
    expect(body.type).toBe("https://stratus.dev/problems/session-too-large");
    expect(body.limit).toBe(4096);
    expect(body.bytes).toBeGreaterThan(4096);
    expect(body.detail).toContain("SESSION_DRIVER=d1");
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it("regenerate() changes the id and keeps the data; invalidate() drops both and clears the cookie", async () => {
    const b = app();
    await b.fetch("/put/name/ada");
    const { id: first } = (await (await b.fetch("/id")).json()) as { id: string };
    const { id: second } = (await (await b.fetch("/regenerate")).json()) as { id: string };
    expect(second).not.toBe(first);
    expect(((await (await b.fetch("/id")).json()) as { id: string }).id).toBe(second);
    expect(await (await b.fetch("/get/name")).json()).toEqual({ value: "ada" });
    const res = await b.fetch("/invalidate");
    expect(res.headers.getSetCookie()[0]).toContain("Max-Age=0");
    expect(await (await b.fetch("/get/name")).json()).toEqual({ value: null });
  });

  it("an idle session expires (sliding), and none outlives the absolute lifetime", async () => {
    const key = "expiry-key-0123456789abcdef0123456789abcdef";
    const ring = { current: key, previous: [] };
    const now = Date.now();
    const record = (createdAt: number, lastSeenAt: number) => ({ id: "x", data: { name: "ada" }, flash: { new: [], old: [] }, createdAt, lastSeenAt });
    const read = async (r: ReturnType<typeof record>) =>
      (await app({ APP_KEY: key }).fetch("/get/name", { headers: { cookie: `stratus_session=${await seal(ring, "stratus_session", r)}` } })).json();
    expect(await read(record(now - 60_000, now - 60_000))).toEqual({ value: "ada" });
    // Idle for longer than SESSION_LIFETIME (120 min).
    expect(await read(record(now - 3 * 3_600_000, now - 121 * 60_000))).toEqual({ value: null });
    // Active a minute ago, but created more than the absolute lifetime (7 days) ago.
    expect(await read(record(now - 8 * 86_400_000, now - 60_000))).toEqual({ value: null });
    // A read of a session stored a while ago slides its expiry: the cookie is set again, for the idle lifetime.
    const res = await app({ APP_KEY: key, SESSION_LIFETIME: "10" }).fetch("/get/name", {
      headers: { cookie: `stratus_session=${await seal(ring, "stratus_session", record(now - 300_000, now - 300_000))}` },
    });
    expect(await res.json()).toEqual({ value: "ada" });
    expect(res.headers.getSetCookie()[0]).toContain("Max-Age=600");
  });

  it("a read-only request right after a write stores nothing and sets no cookie", async () => {
    const b = app();
    await b.fetch("/put/name/ada");
    const res = await b.fetch("/get/name");
    expect(await res.json()).toEqual({ value: "ada" });
    expect(sessionCookie(res)).toBeUndefined();
  });

  it("c.session without the middleware names the fix", async () => {
    const b = browser({ middleware: [], routes, env: { APP_DEBUG: "true" } });
    const res = await b.fetch("/get/name");
    expect(res.status).toBe(500);
    expect(((await res.json()) as { detail: string }).detail).toContain("session() middleware");
  });
});
