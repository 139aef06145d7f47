import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { auth, can, guest } from "../../../worker/auth/guards";
import { identify } from "../../../worker/auth/identify";
import { ApiTokens } from "../../../worker/auth/tokens/api-tokens";
import { csrf } from "../../../worker/http/csrf/index";
import { session } from "../../../worker/http/session/index";
import type { Router } from "../../../worker/routing/router";
import { actingAs } from "../../../worker/testing/acting-as";
import { testApp } from "../../support/app";
import { docs, testGate } from "../../fixtures/auth";

interface Problem { type: string; title: string; status: number; detail: string; ability?: string }

const routes = (r: Router) => {
  r.get("/me", (c) => ({ user: c.user?.id ?? null, via: c.identity.via, token: c.identity.token?.name ?? null }));
  r.get("/private", (c) => ({ user: c.user!.id }), { middleware: [auth()] });
  r.post("/private", (c) => ({ user: c.user!.id }), { middleware: [auth()] });
  r.get("/login", () => ({ page: "login" }), { middleware: [guest({ redirectTo: "/account" })] });
  r.post("/docs", () => ({ created: true }), { middleware: [can("docs:write")] });
  r.get("/reports", () => ({ ok: true }), { middleware: [can("reports:read")] });
  r.patch("/docs/:id", (c) => ({ updated: (c.locals.get("subject") as { id: string }).id }), { middleware: [can("update", (c) => docs.get(c.params.id!))] });
};

const app = (extra: Record<string, string> = {}) =>
  testApp({ middleware: [session(), csrf(), identify(testGate)], routes, env: { APP_ENV: "test", ...extra } });

async function get<T>(path: string, headers: Record<string, string> = {}, init: RequestInit = {}, a = app()): Promise<{ res: Response; body: T }> {
  const res = await a.fetch(path, { ...init, headers });
  const text = await res.text();
  return { res, body: (text ? JSON.parse(text) : null) as T };
}

describe("identify()", () => {
  it("a guest is c.user undefined", async () => {
    expect((await get("/me")).body).toEqual({ user: null, via: "none", token: null });
  });

  it("reads the session's auth.user (cookie and d1 drivers)", async () => {
    expect((await get("/me", (await actingAs("ada")).headers)).body).toEqual({ user: "ada", via: "session", token: null });
    const d1 = app({ SESSION_DRIVER: "d1" });
    const as = await actingAs("bob", { env: { ...env, SESSION_DRIVER: "d1" } as Cloudflare.Env });
    expect((await get("/me", as.headers, {}, d1)).body).toEqual({ user: "bob", via: "session", token: null });
  });

  it("a session naming a user that no longer exists is a guest", async () => {
    expect((await get("/me", (await actingAs("ghost")).headers)).body).toMatchObject({ user: null, via: "none" });
  });

  it("reads a bearer token, and records its use at most once a minute", async () => {
    const as = await actingAs("ada", { via: "token", abilities: ["docs:write"] });
    const id = as.token!.split("_")[1]!;
    const lastUsed = async () => (await env.DB.prepare("select last_used_at as t from api_tokens where id = ?").bind(id).first<{ t: number | null }>())!.t;
    expect(await lastUsed()).toBeNull();
    expect((await get("/me", as.headers)).body).toEqual({ user: "ada", via: "token", token: "actingAs" });
    const first = await lastUsed();
    expect(first).toBeGreaterThan(0);
    await get("/me", as.headers);
    expect(await lastUsed()).toBe(first);
    await env.DB.prepare("update api_tokens set last_used_at = ? where id = ?").bind(first! - 61_000, id).run();
    await get("/me", as.headers);
    expect(await lastUsed()).toBeGreaterThan(first! - 61_000);
  });

  it("stores only a hash of the secret", async () => {
    const { plaintext, token } = await new ApiTokens(env.DB).create({ userId: "ada", name: "ci", abilities: ["*"] });
    const row = await env.DB.prepare("select * from api_tokens where id = ?").bind(token.id).first<Record<string, unknown>>();
    const secret = plaintext.slice(plaintext.lastIndexOf("_") + 1);
    expect(plaintext).toMatch(/^stratus_[0-9a-f]{24}_[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(row!.token_hash).toHaveLength(43);
  });

  it.each([
    ["malformed", () => "stratus_not-a-token", "malformed"],
    ["unknown", async () => (await actingAs("ada", { via: "token" })).token!.slice(0, -4) + "AAAA", "not valid"],
    ["expired", async () => (await actingAs("ada", { via: "token", expiresAt: Date.now() - 1 })).token!, "expired"],
    [
      "revoked",
      async () => {
        const as = await actingAs("ada", { via: "token" });
        expect(await new ApiTokens(env.DB).revoke("ada", as.token!.split("_")[1]!)).toBe(true);
        return as.token!;
      },
      "revoked",
    ],
    ["of a deleted user", async () => (await actingAs("gone", { via: "token" })).token!, "no longer exists"],
  ])("a %s token is a 401 problem, even on a public route", async (_label, make, detail) => {
    const { res, body } = await get<Problem>("/me", { authorization: `Bearer ${await make()}` });
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.headers.get("www-authenticate")).toBe('Bearer error="invalid_token"');
    expect(body).toMatchObject({ type: "https://stratus.dev/problems/unauthenticated", status: 401 });
    expect(body.detail).toContain(detail);
  });

  it("a bearer value of another scheme (no stratus_ prefix) is left to its route: the request is a guest", async () => {
    const { res, body } = await get("/me", { authorization: "Bearer some-admin-secret" });
    expect(res.status).toBe(200);
    expect(body).toMatchObject({ user: null, via: "none" });
  });

  it("revoke() only revokes the owner's live token", async () => {
    const as = await actingAs("ada", { via: "token" });
    const id = as.token!.split("_")[1]!;
    const tokens = new ApiTokens(env.DB);
    expect(await tokens.revoke("bob", id)).toBe(false);
    expect(await tokens.revoke("ada", id)).toBe(true);
    expect(await tokens.revoke("ada", id)).toBe(false);
    expect((await tokens.forUser("ada")).find((t) => t.id === id)?.revokedAt).toBeGreaterThan(0);
  });
});

describe("auth() and guest()", () => {
  it("auth(): a JSON request without a user is a 401 problem", async () => {
    const { res, body } = await get<Problem>("/private", { accept: "application/json" });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe("Bearer");
    expect(body).toMatchObject({ type: "https://stratus.dev/problems/unauthenticated", title: "Unauthorized", status: 401 });
  });

  it("auth(): a page request is redirected to /login with the intended URL", async () => {
    const { res } = await get("/private?tab=tokens", { accept: "text/html,application/xhtml+xml" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/login?intended=${encodeURIComponent("/private?tab=tokens")}`);
  });

  it("auth(): a page form post without a user goes to /login (303), without an intended URL", async () => {
    const { res } = await get("/private", { accept: "text/html" }, { method: "POST" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/login");
  });

  it("auth(): a signed-in user or a token passes", async () => {
    expect((await get("/private", (await actingAs("ada")).headers)).body).toEqual({ user: "ada" });
    expect((await get("/private", (await actingAs("bob", { via: "token" })).headers)).body).toEqual({ user: "bob" });
  });

  it("guest(): a signed-in page request is redirected, a JSON one is a 403 problem", async () => {
    const as = await actingAs("ada");
    const page = await get("/login", { ...as.headers, accept: "text/html" });
    expect(page.res.status).toBe(302);
    expect(page.res.headers.get("location")).toBe("/account");
    const api = await get<Problem>("/login", as.headers);
    expect(api.res.status).toBe(403);
    expect(api.body.type).toBe("https://stratus.dev/problems/already-authenticated");
    expect((await get("/login")).body).toEqual({ page: "login" });
  });
});

describe("can() and the gate", () => {
  const post = async (path: string, headers: Record<string, string>) => get<Problem>(path, headers, { method: "POST" });
  const patch = async (path: string, headers: Record<string, string>) => get<Problem & { updated?: string }>(path, headers, { method: "PATCH" });

  it("an ability by name: the user's role grants it, a token must carry it too", async () => {
    expect((await post("/docs", (await actingAs("ada")).headers)).res.status).toBe(200);
    expect((await post("/docs", (await actingAs("ada", { via: "token", abilities: ["docs:write"] })).headers)).res.status).toBe(200);
    expect((await post("/docs", (await actingAs("ada", { via: "token", abilities: ["docs:*"] })).headers)).res.status).toBe(200);
    const narrow = await post("/docs", (await actingAs("ada", { via: "token", abilities: ["reports:read"] })).headers);
    expect(narrow.res.status).toBe(403);
    expect(narrow.res.headers.get("www-authenticate")).toBe('Bearer error="insufficient_scope", scope="docs:write"');
    expect(narrow.body).toMatchObject({ type: "https://stratus.dev/problems/insufficient-ability", title: "Insufficient ability", status: 403, ability: "docs:write" });
  });

  it("a token cannot give a user more than their role: a viewer's * token is still refused", async () => {
    const { res, body } = await post("/docs", (await actingAs("vic", { via: "token", abilities: ["*"] })).headers);
    expect(res.status).toBe(403);
    expect(body).toMatchObject({ type: "https://stratus.dev/problems/forbidden", ability: "docs:write" });
  });

  it("a defined ability runs its check", async () => {
    expect((await get("/reports", (await actingAs("bob")).headers)).res.status).toBe(200);
    expect((await get("/reports", (await actingAs("vic")).headers)).res.status).toBe(403);
  });

  it("without a user, can() is a 401", async () => {
    expect((await post("/docs", {})).res.status).toBe(401);
  });

  it("a policy: the owner may update, another user may not, an admin may", async () => {
    expect((await patch("/docs/d1", (await actingAs("ada")).headers)).body).toEqual({ updated: "d1" });
    const other = await patch("/docs/d1", (await actingAs("bob")).headers);
    expect(other.res.status).toBe(403);
    expect(other.body).toMatchObject({ type: "https://stratus.dev/problems/forbidden", detail: "You may not update this." });
    expect((await patch("/docs/d1", (await actingAs("root")).headers)).res.status).toBe(200);
  });

  it("a policy rule's token ability narrows even an admin's token", async () => {
    const narrow = await patch("/docs/d1", (await actingAs("root", { via: "token", abilities: ["reports:read"] })).headers);
    expect(narrow.res.status).toBe(403);
    expect(narrow.body.ability).toBe("docs:write");
    expect((await patch("/docs/d1", (await actingAs("ada", { via: "token", abilities: ["docs:write"] })).headers)).res.status).toBe(200);
  });

  it("gate.allows works without a request (as a live component's authorize uses it)", async () => {
    const ada = await testGate.users.find("ada", env);
    const bob = await testGate.users.find("bob", env);
    expect(await testGate.allows(ada, "update", docs.get("d1"))).toBe(true);
    expect(await testGate.allows(bob, "update", docs.get("d1"))).toBe(false);
    expect(await testGate.allows(undefined, "view", docs.get("d1"))).toBe(false);
    expect(await testGate.allows(ada, "publish", docs.get("d1"))).toBe(false);
    expect(await testGate.allows(ada, "unknown:thing")).toBe(false);
  });
});

describe("CSRF and bearer tokens", () => {
  it("a bearer POST without a cookie is exempt from CSRF", async () => {
    const as = await actingAs("ada", { via: "token" });
    const { res, body } = await get("/private", { ...as.headers, origin: "https://elsewhere.example" }, { method: "POST" });
    expect(res.status).toBe(200);
    expect(body).toEqual({ user: "ada" });
  });

  it("a session POST still needs the CSRF token", async () => {
    const as = await actingAs("ada");
    expect((await get("/private", as.headers, { method: "POST" })).res.status).toBe(200);
    const { res, body } = await get<Problem>("/private", { cookie: as.headers.cookie! }, { method: "POST" });
    expect(res.status).toBe(403);
    expect(body.type).toBe("https://stratus.dev/problems/csrf");
  });

  it("a bearer request that also carries the session cookie is CSRF-checked (the cookie is ambient)", async () => {
    const token = await actingAs("ada", { via: "token" });
    const cookie = (await actingAs("ada")).headers.cookie!;
    const { res } = await get("/private", { ...token.headers, cookie }, { method: "POST" });
    expect(res.status).toBe(403);
  });
});
