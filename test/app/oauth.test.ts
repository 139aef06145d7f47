import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { PageBrowser } from "./auth-browser";

interface GitHubAccount {
  id: number;
  login: string;
  name?: string;
  emails: { email: string; primary: boolean; verified: boolean }[];
}

const b64 = (s: string) => btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
let n = 0;
const unique = (label: string) => `${label}-${++n}-${crypto.randomUUID().slice(0, 8)}`;

/** Starts the sign-in, lets the stand-in GitHub account consent, and brings the callback back to the app. */
async function signInWithGitHub(b: PageBrowser, account: GitHubAccount): Promise<Response> {
  const start = await b.get("/auth/github");
  expect(start.status).toBe(303);
  const authorize = new URL(start.headers.get("location")!);
  expect(authorize.origin + authorize.pathname).toBe("http://github.standin/login/oauth/authorize");
  expect(authorize.searchParams.get("redirect_uri")).toBe("http://localhost:8787/auth/github/callback");
  expect(authorize.searchParams.get("scope")).toBe("read:user user:email");
  authorize.searchParams.set("standin_user", b64(JSON.stringify(account)));
  const consent = await fetch(authorize, { redirect: "manual" });
  expect(consent.status).toBe(302);
  const callback = new URL(consent.headers.get("location")!);
  return b.get(callback.pathname + callback.search);
}

async function registerWithPassword(address: string, verified: boolean): Promise<void> {
  const b = new PageBrowser();
  await b.page("/register");
  await b.post("/register", { name: "Local Ada", email: address, password: "local password 1", password_confirmation: "local password 1" });
  if (verified) await env.DB.prepare("update users set email_verified_at = ? where email = ?").bind(Date.now(), address).run();
}

async function passwordWorks(address: string, password: string): Promise<boolean> {
  const b = new PageBrowser();
  await b.page("/login");
  return (await b.post("/login", { email: address, password })).headers.get("location") === "/account";
}

describe("Sign in with GitHub (arctic, against the local stand-in)", () => {
  it("creates a verified user for a new GitHub account, and the same account signs in to the same user later", async () => {
    const address = `${unique("gh")}@example.com`;
    const id = Math.floor(Math.random() * 1e9);
    const b = new PageBrowser();
    const res = await signInWithGitHub(b, { id, login: "octo", name: "Octo Cat", emails: [{ email: "old@example.com", primary: false, verified: false }, { email: address, primary: true, verified: true }] });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/account");
    const account = await b.follow(res);
    expect(account.body).toContain('<dd id="account-name">Octo Cat</dd>');
    expect(account.body).toContain(address);
    expect(account.body).toMatch(/<dd id="account-verified">yes/);
    expect(account.body).toContain("You have no password: you sign in with GitHub or Google.");

    // Later, with another primary address at GitHub: the link, not the address, finds the user.
    const again = new PageBrowser();
    const second = await signInWithGitHub(again, { id, login: "octo", emails: [{ email: `${unique("new")}@example.com`, primary: true, verified: true }] });
    expect((await again.follow(second)).body).toContain(address);
    const rows = await env.DB.prepare("select count(*) as n from oauth_accounts where provider_user_id = ?").bind(String(id)).first<{ n: number }>();
    expect(rows!.n).toBe(1);
  });

  it("links to the local user with the same verified address, whose password keeps working", async () => {
    const address = `${unique("link")}@example.com`;
    await registerWithPassword(address, true);
    const b = new PageBrowser();
    const res = await signInWithGitHub(b, { id: Math.floor(Math.random() * 1e9), login: "ada", emails: [{ email: address.toUpperCase(), primary: true, verified: true }] });
    expect((await b.follow(res)).body).toContain('<dd id="account-name">Local Ada</dd>');
    expect(await passwordWorks(address, "local password 1")).toBe(true);
  });

  it("linking to a local account whose address was never verified drops the password someone set on it", async () => {
    const address = `${unique("squat")}@example.com`;
    await registerWithPassword(address, false);
    const b = new PageBrowser();
    const res = await signInWithGitHub(b, { id: Math.floor(Math.random() * 1e9), login: "owner", emails: [{ email: address, primary: true, verified: true }] });
    expect((await b.follow(res)).body).toMatch(/<dd id="account-verified">yes/);
    expect(await passwordWorks(address, "local password 1")).toBe(false);
  });

  it("refuses a GitHub account with no verified address (422) and creates nobody", async () => {
    const address = `${unique("unverified")}@example.com`;
    const b = new PageBrowser();
    const res = await signInWithGitHub(b, { id: Math.floor(Math.random() * 1e9), login: "nobody", emails: [{ email: address, primary: true, verified: false }] });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain("no verified email address");
    expect(await env.DB.prepare("select id from users where email = ?").bind(address).first()).toBeNull();
  });

  it("refuses a callback whose state this session did not start (400), and a code GitHub rejects (502)", async () => {
    const b = new PageBrowser();
    expect((await b.get("/auth/github/callback?code=x&state=y")).status).toBe(400);
    const start = await b.get("/auth/github");
    const state = new URL(start.headers.get("location")!).searchParams.get("state")!;
    expect((await b.get(`/auth/github/callback?code=x&state=${state}-other`)).status).toBe(400);
    const start2 = await b.get("/auth/github");
    const state2 = new URL(start2.headers.get("location")!).searchParams.get("state")!;
    const bad = await b.get(`/auth/github/callback?code=not-a-code&state=${state2}`);
    expect(bad.status).toBe(502);
    expect(await bad.text()).toContain("GitHub did not confirm the sign-in");
  });
});
