import { env } from "cloudflare:workers";
import { drizzle } from "drizzle-orm/d1";
import { describe, expect, it } from "vitest";
import { SingleUseTokens, throttle, tooManyAttempts } from "../../../worker/auth/index";
import { testApp } from "../../support/app";
import type { Router } from "../../../worker/routing/router";

const tokens = () => new SingleUseTokens(drizzle(env.DB));

describe("SingleUseTokens", () => {
  it("stores only a hash, works once, and not after it expires", async () => {
    const t = tokens();
    const token = await t.issue("password-reset", "tok-1", 60_000);
    const stored = await env.DB.prepare("select id from auth_tokens where user_id = 'tok-1'").first<{ id: string }>();
    expect(stored!.id).not.toBe(token);
    expect(await t.check("password-reset", token)).toEqual({ status: "valid", userId: "tok-1" });
    expect(await t.consume("email-verify", token)).toEqual({ status: "invalid" });
    expect(await t.consume("password-reset", token)).toEqual({ status: "valid", userId: "tok-1" });
    expect(await t.consume("password-reset", token)).toEqual({ status: "invalid" });
    const late = await t.issue("password-reset", "tok-1", 60_000, Date.now() - 120_000);
    expect(await t.check("password-reset", late)).toEqual({ status: "expired" });
    expect(await t.consume("password-reset", late)).toEqual({ status: "expired" });
    expect(await t.consume("password-reset", late)).toEqual({ status: "invalid" });
  });

  it("issuing a new token replaces the user's earlier one of that purpose", async () => {
    const t = tokens();
    const first = await t.issue("email-verify", "tok-2", 60_000);
    const verify2 = await t.issue("email-verify", "tok-2", 60_000);
    const reset = await t.issue("password-reset", "tok-2", 60_000);
    expect((await t.check("email-verify", first)).status).toBe("invalid");
    expect((await t.check("email-verify", verify2)).status).toBe("valid");
    expect((await t.check("password-reset", reset)).status).toBe("valid");
  });
});

/** The local Rate Limiting binding counts in fixed windows; start a run where the window has room to finish. */
async function awayFromWindowEdge(periodMs = 60_000): Promise<void> {
  const left = periodMs - (Date.now() % periodMs);
  if (left < 5_000) await new Promise((r) => setTimeout(r, left + 50));
}

describe("throttle() through the Rate Limiting binding", () => {
  const probe = (r: Router) => {
    r.post("/attempt/:email", async (c) => {
      const wait = await throttle(c, "login", c.params.email);
      return wait === undefined ? { ok: true } : tooManyAttempts(c, wait);
    });
  };

  it("refuses the sixth attempt for one email within the period: 429 problem with Retry-After, or a page for a form", async () => {
    await awayFromWindowEdge();
    const t = testApp({ routes: probe });
    const email = `limit-${crypto.randomUUID()}@example.com`;
    for (let i = 0; i < 5; i++) {
      const res = await t.fetch(`/attempt/${email}`, { method: "POST", headers: { "cf-connecting-ip": `10.0.0.${i}` } });
      expect(res.status).toBe(200);
    }
    const refused = await t.fetch(`/attempt/${email.toUpperCase()}`, { method: "POST", headers: { "cf-connecting-ip": "10.0.1.1" } });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("60");
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    const page = await t.fetch(`/attempt/${email}`, { method: "POST", headers: { "cf-connecting-ip": "10.0.1.2", accept: "text/html" } });
    expect(page.status).toBe(429);
    expect(page.headers.get("retry-after")).toBe("60");
    expect(await page.text()).toContain("Too many attempts");
    // Another email from a fresh IP is unaffected.
    expect((await t.fetch(`/attempt/other-${email}`, { method: "POST", headers: { "cf-connecting-ip": "10.0.1.3" } })).status).toBe(200);
  });

  it("refuses one IP past 30 attempts across many emails", async () => {
    await awayFromWindowEdge();
    const t = testApp({ routes: probe });
    const ip = `10.9.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) {
      statuses.push((await t.fetch(`/attempt/ip-${i}-${crypto.randomUUID()}@example.com`, { method: "POST", headers: { "cf-connecting-ip": ip } })).status);
    }
    expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true);
    expect(statuses[30]).toBe(429);
  });
});
