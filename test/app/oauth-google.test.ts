import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { PageBrowser } from "./auth-browser";

/** The Google account that consents at the stand-in, and claims a test may bend (issuer, audience, expiry). */
interface GoogleAccount {
  sub: string;
  name?: string;
  email: string;
  email_verified: boolean;
  iss?: string;
  aud?: string;
  exp?: number;
}

const b64 = (s: string) => btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
let n = 0;
const unique = (label: string) => `${label}-${++n}-${crypto.randomUUID().slice(0, 8)}`;
const sub = () => String(1e20 + Math.floor(Math.random() * 1e15));

/** Starts the sign-in, lets the stand-in Google account consent, and brings the callback back to the app. */
async function signInWithGoogle(b: PageBrowser, account: GoogleAccount): Promise<Response> {
  const start = await b.get("/auth/google");
  expect(start.status).toBe(303);
  const authorize = new URL(start.headers.get("location")!);
  expect(authorize.origin + authorize.pathname).toBe("http://accounts.google.standin/o/oauth2/v2/auth");
  expect(authorize.searchParams.get("redirect_uri")).toBe("http://localhost:8787/auth/google/callback");
  expect(authorize.searchParams.get("scope")).toBe("openid profile email");
  expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
  authorize.searchParams.set("standin_user", b64(JSON.stringify(account)));
  const consent = await fetch(authorize, { redirect: "manual" });
  expect(consent.status).toBe(302);
  const callback = new URL(consent.headers.get("location")!);
  return b.get(callback.pathname + callback.search);
}

describe("Sign in with Google (arctic with PKCE, against the local OIDC stand-in)", () => {
  it("creates a verified user from the ID token, and the same Google account signs in to the same user later", async () => {
    const address = `${unique("g")}@example.com`;
    const id = sub();
    const b = new PageBrowser();
    expect((await b.page("/login")).body).toContain('<a href="/auth/google">Sign in with Google</a>');
    const res = await signInWithGoogle(b, { sub: id, name: "Grace Hopper", email: address.toUpperCase(), email_verified: true });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/account");
    const account = await b.follow(res);
    expect(account.body).toContain('<dd id="account-name">Grace Hopper</dd>');
    expect(account.body).toContain(address);
    expect(account.body).toMatch(/<dd id="account-verified">yes/);

    // Later with another address at Google: the subject, not the address, finds the user.
    const again = new PageBrowser();
    const second = await signInWithGoogle(again, { sub: id, email: `${unique("new")}@example.com`, email_verified: true });
    expect((await again.follow(second)).body).toContain(address);
    const rows = await env.DB.prepare("select count(*) as n from oauth_accounts where provider = 'google' and provider_user_id = ?").bind(id).first<{ n: number }>();
    expect(rows!.n).toBe(1);
  });

  it("returns to the page auth() sent the guest from", async () => {
    const b = new PageBrowser();
    const guarded = await b.get("/account?tab=tokens");
    await b.page(guarded.headers.get("location")!);
    const res = await signInWithGoogle(b, { sub: sub(), name: "Back Again", email: `${unique("back")}@example.com`, email_verified: true });
    expect(res.headers.get("location")).toBe("/account?tab=tokens");
  });

  it("refuses an account whose address Google has not verified (422) and creates nobody", async () => {
    const address = `${unique("unverified")}@example.com`;
    const b = new PageBrowser();
    const res = await signInWithGoogle(b, { sub: sub(), name: "Nobody", email: address, email_verified: false });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain("Your Google account has no verified email address.");
    expect(await env.DB.prepare("select id from users where email = ?").bind(address).first()).toBeNull();
  });

  it("refuses ID tokens from another issuer, for another client, or expired (502), and signs nobody in", async () => {
    const bent: Partial<GoogleAccount>[] = [{ iss: "https://evil.example" }, { aud: "someone-elses-client" }, { exp: Math.floor(Date.now() / 1000) - 60 }];
    for (const claims of bent) {
      const address = `${unique("bent")}@example.com`;
      const b = new PageBrowser();
      const res = await signInWithGoogle(b, { sub: sub(), email: address, email_verified: true, ...claims });
      expect(res.status).toBe(502);
      expect(await res.text()).toContain("Google did not confirm the sign-in");
      expect(await env.DB.prepare("select id from users where email = ?").bind(address).first()).toBeNull();
    }
  });

  it("refuses a callback whose state this session did not start (400), and a code the token endpoint rejects (502)", async () => {
    const b = new PageBrowser();
    expect((await b.get("/auth/google/callback?code=x&state=y")).status).toBe(400);
    const start = await b.get("/auth/google");
    const state = new URL(start.headers.get("location")!).searchParams.get("state")!;
    const bad = await b.get(`/auth/google/callback?code=not-a-code&state=${state}`);
    expect(bad.status).toBe(502);
    expect(await bad.text()).toContain("Google did not confirm the sign-in");
  });

  it("a code brought back to another session fails PKCE at the token endpoint (502): the verifier stays with the session that started", async () => {
    const victim = new PageBrowser();
    const start = await victim.get("/auth/google");
    const authorize = new URL(start.headers.get("location")!);
    authorize.searchParams.set("standin_user", b64(JSON.stringify({ sub: sub(), email: `${unique("pkce")}@example.com`, email_verified: true })));
    const code = new URL((await fetch(authorize, { redirect: "manual" })).headers.get("location")!).searchParams.get("code")!;
    // The attacker starts their own sign-in (their state and verifier) and submits the stolen code with it.
    const attacker = new PageBrowser();
    const own = new URL((await attacker.get("/auth/google")).headers.get("location")!).searchParams.get("state")!;
    const res = await attacker.get(`/auth/google/callback?code=${encodeURIComponent(code)}&state=${own}`);
    expect(res.status).toBe(502);
  });
});
