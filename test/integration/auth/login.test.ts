import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { login, logout, rememberMe, sessionUserId } from "../../../worker/auth/index";
import { session } from "../../../worker/http/session/index";
import type { Router } from "../../../worker/routing/router";
import { jarBrowser } from "./support";

const routes = (r: Router) => {
  r.get("/login/:user", async (c) => (await login(c, c.params.user!, { remember: c.query.get("remember") === "1" }), { id: c.session.id }));
  r.get("/logout", async (c) => (await logout(c), { ok: true }));
  r.get("/me", (c) => ({ user: sessionUserId(c) ?? null, id: c.session.id }));
  r.get("/touch", (c) => (c.session.put("seen", true), { id: c.session.id }));
};
const app = (driver: "cookie" | "d1" = "cookie") => jarBrowser({ middleware: [session(), rememberMe()], routes, env: { SESSION_DRIVER: driver } });
const me = async (b: ReturnType<typeof app>) => (await (await b.fetch("/me")).json()) as { user: string | null; id: string };
const tokenRows = async (user: string) => (await env.DB.prepare("select count(*) as n from remember_tokens where user_id = ?").bind(user).first<{ n: number }>())!.n;

describe("login() and logout()", () => {
  it("regenerate the session id, so an id known before sign-in is worthless after (no fixation)", async () => {
    for (const driver of ["cookie", "d1"] as const) {
      const b = app(driver);
      const before = ((await (await b.fetch("/touch")).json()) as { id: string }).id;
      const fixated = b.jar.get("stratus_session")!;
      const { id } = (await (await b.fetch("/login/fix-1")).json()) as { id: string };
      expect(id).not.toBe(before);
      expect((await me(b)).user).toBe("fix-1");
      if (driver === "d1") {
        const attacker = app(driver);
        attacker.jar.set("stratus_session", fixated);
        expect((await me(attacker)).user).toBeNull();
      }
      await b.fetch("/logout");
      const after = await me(b);
      expect(after.user).toBeNull();
      expect(after.id).not.toBe(id);
    }
  });

  it("issues a remember-me cookie only when asked, HttpOnly, SameSite=Lax, Secure, for 30 days", async () => {
    const b = app();
    const plain = await b.fetch("/login/flags-1");
    expect(plain.headers.getSetCookie().some((l) => l.startsWith("stratus_remember="))).toBe(false);
    const res = await b.fetch("/login/flags-1?remember=1");
    const line = res.headers.getSetCookie().find((l) => l.startsWith("stratus_remember="))!;
    expect(line).toMatch(/^stratus_remember=[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}; Path=\/; Max-Age=(2591999|2592000); HttpOnly; SameSite=Lax; Secure$/);
    const stored = await env.DB.prepare("select validator_hash from remember_tokens where user_id = 'flags-1'").first<{ validator_hash: string }>();
    expect(line).not.toContain(stored!.validator_hash);
  });


  it("login() with remember-me but without the rememberMe() middleware fails naming it, before storing a token", async () => {
    const b = jarBrowser({ middleware: [session()], routes, env: { APP_DEBUG: "true" } });
    const res = await b.fetch("/login/nomw-1?remember=1");
    expect(res.status).toBe(500);
    expect(((await res.json()) as { detail: string }).detail).toContain("rememberMe() middleware");
    expect(await tokenRows("nomw-1")).toBe(0);
    // Without remember-me it needs neither the middleware nor D1.
    expect((await b.fetch("/login/nomw-1")).status).toBe(200);
  });
});

describe("rememberMe()", () => {
  it("signs the user back in when the session is gone, rotating the validator on each use", async () => {
    const b = app();
    await b.fetch("/login/rot-1?remember=1");
    const first = b.jar.get("stratus_remember")!;
    b.jar.delete("stratus_session");
    expect((await me(b)).user).toBe("rot-1");
    const second = b.jar.get("stratus_remember")!;
    expect(second).not.toBe(first);
    expect(second.split(".")[0]).toBe(first.split(".")[0]);
    b.jar.delete("stratus_session");
    expect((await me(b)).user).toBe("rot-1");
    expect(b.jar.get("stratus_remember")).not.toBe(second);
  });

  it("revokes every remember-me token of the user when an old validator comes back (a copied cookie)", async () => {
    const victim = app();
    await victim.fetch("/login/theft-1?remember=1");
    const laptop = app();
    await laptop.fetch("/login/theft-1?remember=1");
    expect(await tokenRows("theft-1")).toBe(2);
    const stolen = victim.jar.get("stratus_remember")!;
    // The thief uses the copy first; the victim's browser, still holding the same value, comes back later.
    const thief = app();
    thief.jar.set("stratus_remember", stolen);
    expect((await me(thief)).user).toBe("theft-1");
    await env.DB.prepare("update remember_tokens set rotated_at = rotated_at - 60000 where user_id = 'theft-1'").run();
    victim.jar.delete("stratus_session");
    const res = await victim.fetch("/me");
    expect(((await res.json()) as { user: unknown }).user).toBeNull();
    expect(res.headers.getSetCookie().some((l) => /^stratus_remember=; .*Max-Age=0/.test(l))).toBe(true);
    expect(await tokenRows("theft-1")).toBe(0);
    // The thief's rotated cookie and the other device's are dead too.
    thief.jar.delete("stratus_session");
    expect((await me(thief)).user).toBeNull();
    laptop.jar.delete("stratus_session");
    expect((await me(laptop)).user).toBeNull();
  });

  it("a reused validator within seconds of its rotation (parallel tabs) signs nobody in and revokes nothing", async () => {
    const b = app();
    await b.fetch("/login/race-1?remember=1");
    const value = b.jar.get("stratus_remember")!;
    const tab1 = app();
    tab1.jar.set("stratus_remember", value);
    const tab2 = app();
    tab2.jar.set("stratus_remember", value);
    expect((await me(tab1)).user).toBe("race-1");
    const res = await tab2.fetch("/me");
    expect(((await res.json()) as { user: unknown }).user).toBeNull();
    expect(res.headers.getSetCookie().some((l) => l.startsWith("stratus_remember="))).toBe(false);
    expect(await tokenRows("race-1")).toBe(1);
  });

  it("clears a forged, unknown or expired cookie and signs nobody in", async () => {
    const b = app();
    await b.fetch("/login/forge-1?remember=1");
    const [selector] = b.jar.get("stratus_remember")!.split(".");
    for (const forged of [`${selector}.${"A".repeat(43)}`, "garbage", `${"B".repeat(22)}.${"C".repeat(43)}`]) {
      const other = app();
      other.jar.set("stratus_remember", forged);
      const res = await other.fetch("/me");
      expect(((await res.json()) as { user: unknown }).user).toBeNull();
      expect(res.headers.getSetCookie().some((l) => /^stratus_remember=; .*Max-Age=0/.test(l))).toBe(true);
    }
    await env.DB.prepare("update remember_tokens set expires_at = 1 where user_id = 'forge-1'").run();
    b.jar.delete("stratus_session");
    expect((await me(b)).user).toBeNull();
    expect(b.jar.has("stratus_remember")).toBe(false);
  });

  it("logout() revokes this device's token and clears its cookie", async () => {
    const b = app();
    await b.fetch("/login/out-1?remember=1");
    expect(await tokenRows("out-1")).toBe(1);
    const res = await b.fetch("/logout");
    expect(res.headers.getSetCookie().some((l) => /^stratus_remember=; .*Max-Age=0/.test(l))).toBe(true);
    expect(await tokenRows("out-1")).toBe(0);
    expect((await me(b)).user).toBeNull();
  });
});

describe("WebSocket upgrades", () => {
  it("pass through session() and rememberMe() untouched: no cookie, the socket kept, the remember-me token not rotated", async () => {
    const upgrade = (r: Router) => {
      routes(r);
      r.get("/socket", (c) => {
        c.session.put("touched", true);
        const pair = new WebSocketPair();
        pair[1].accept();
        return new Response(null, { status: 101, webSocket: pair[0] });
      });
    };
    const b = jarBrowser({ middleware: [session(), rememberMe()], routes: upgrade });
    await b.fetch("/login/ws-1?remember=1");
    const remembered = b.jar.get("stratus_remember");
    b.jar.delete("stratus_session");
    const res = await b.fetch("/socket", { headers: { upgrade: "websocket" } });
    expect(res.status).toBe(101);
    expect(res.webSocket).not.toBeNull();
    expect(res.headers.getSetCookie()).toEqual([]);
    res.webSocket!.accept();
    res.webSocket!.close();
    expect(b.jar.get("stratus_remember")).toBe(remembered);
    expect((await me(b)).user).toBe("ws-1");
  });
});
