import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { D1SessionStore, session } from "../../../worker/http/session/index";
import type { Router } from "../../../worker/routing/router";
import { scheduleModule } from "../../../worker/schedule/module";
import { SCHEDULER } from "../../../worker/schedule/provider";
import { testApp } from "../../support/app";
import { browser } from "./support";

const routes = (r: Router) => {
  r.get("/login/:user", (c) => (c.session.regenerate(), c.session.put("auth.user", c.params.user), { id: c.session.id }));
  r.get("/me", (c) => ({ userId: c.session.get("auth.user") ?? null, id: c.session.id }));
  r.get("/logout", (c) => (c.session.invalidate(), { ok: true }));
  r.get("/big", (c) => (c.session.put("blob", "x".repeat(20_000)), { ok: true }));
};
const app = () => browser({ middleware: [session()], routes, env: { SESSION_DRIVER: "d1" } });

async function rowCount(): Promise<number> {
  return (await env.DB.prepare("select count(*) as n from sessions").first<{ n: number }>())!.n;
}

describe("session() with the D1 store", () => {
  it("keeps only a sealed id in the cookie and the data in D1, keyed by a hash of the id", async () => {
    const b = app();
    const { id } = (await (await b.fetch("/login/u1")).json()) as { id: string };
    expect(await (await b.fetch("/me")).json()).toEqual({ userId: "u1", id });
    const row = await env.DB.prepare("select id, user_id from sessions where user_id = 'u1'").first<{ id: string; user_id: string }>();
    expect(row).not.toBeNull();
    expect(row!.id).not.toBe(id);
    expect(b.cookie!.length).toBeLessThan(200);
  });

  it("a read-only request does not write the row again within a minute", async () => {
    const b = app();
    await b.fetch("/login/u5");
    const before = await env.DB.prepare("select last_seen_at as t from sessions where user_id = 'u5'").first<{ t: number }>();
    await new Promise((r) => setTimeout(r, 20));
    const res = await b.fetch("/me");
    expect(((await res.json()) as { userId: unknown }).userId).toBe("u5");
    expect(res.headers.getSetCookie()).toEqual([]);
    const after = await env.DB.prepare("select last_seen_at as t from sessions where user_id = 'u5'").first<{ t: number }>();
    expect(after!.t).toBe(before!.t);
  });

  it("holds sessions past the cookie limit", async () => {
    const b = app();
    expect((await b.fetch("/big")).status).toBe(200);
  });

  it("deleting the row revokes the session at once", async () => {
    const b = app();
    await b.fetch("/login/u2");
    await new D1SessionStore(env.DB).destroyForUser("u2");
    expect(((await (await b.fetch("/me")).json()) as { userId: unknown }).userId).toBeNull();
  });

  it("regenerate() deletes the old row, so a fixated id stops working", async () => {
    const b = app();
    await b.fetch("/login/u3");
    const fixated = b.cookie;
    await b.fetch("/login/u3");
    const attacker = app();
    attacker.cookie = fixated;
    expect(((await (await attacker.fetch("/me")).json()) as { userId: unknown }).userId).toBeNull();
    expect(((await (await b.fetch("/me")).json()) as { userId: unknown }).userId).toBe("u3");
  });

  it("invalidate() deletes the row and clears the cookie", async () => {
    const b = app();
    await b.fetch("/login/u4");
    const before = await rowCount();
    const stolen = b.cookie;
    const res = await b.fetch("/logout");
    expect(res.headers.getSetCookie()[0]).toContain("Max-Age=0");
    expect(await rowCount()).toBe(before - 1);
    const replay = app();
    replay.cookie = stolen;
    expect(((await (await replay.fetch("/me")).json()) as { userId: unknown }).userId).toBeNull();
  });
});

describe("expired D1 sessions", () => {
  it("prune() deletes only rows past their expiry, and the housekeeping cron runs it as session:prune", async () => {
    const b = app();
    await b.fetch("/login/prune-live");
    const now = Date.now();
    const insert = (id: string, expiresAt: number) =>
      env.DB.prepare("insert into sessions (id, payload, user_id, created_at, last_seen_at, expires_at) values (?, '{}', 'prune-old', ?, ?, ?)").bind(id, now - 10_000, now - 10_000, expiresAt).run();
    await insert("prune-expired-1", now - 1);
    await insert("prune-expired-2", now - 60_000);
    const count = async (user: string) => (await env.DB.prepare("select count(*) as n from sessions where user_id = ?").bind(user).first<{ n: number }>())!.n;
    expect(await count("prune-old")).toBe(2);

    const withCron = testApp({ modules: [scheduleModule], env: { SESSION_DRIVER: "d1" } });
    await withCron.app.boot(withCron.env);
    const runs = await withCron.app.resolve(SCHEDULER).run({ cron: "*/5 * * * *", scheduledTime: now }, withCron.env, createExecutionContext());
    expect(runs.find((r) => r.name === "session:prune")?.ok).toBe(true);
    expect(await count("prune-old")).toBe(0);
    expect(await count("prune-live")).toBe(1);
    expect(((await (await b.fetch("/me")).json()) as { userId: unknown }).userId).toBe("prune-live");
    expect(await new D1SessionStore(env.DB).prune(now)).toBe(0);
  });
});
