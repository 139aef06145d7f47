import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { hashPassword, PASSWORD_HASHING } from "stratus";
import { MAILER } from "stratus/mail";
import { app } from "../../app/bootstrap";
import { eventually, linkIn, PageBrowser } from "./auth-browser";

let n = 0;
const email = (label: string) => `${label}-${++n}-${crypto.randomUUID().slice(0, 8)}@example.com`;
const outbox = () => app.resolve(MAILER).outbox();
const mailTo = (to: string, subject: string) => eventually(() => outbox().to(to).find((m) => m.subject === subject));

async function register(b: PageBrowser, address: string, password = "correct horse battery") {
  await b.page("/register");
  return b.post("/register", { name: "Ada Lovelace", email: address, password, password_confirmation: password });
}

describe("register → verify → account → logout → login", () => {
  it("runs the whole way through the real pages, with the verification mail from the queue", async () => {
    const b = new PageBrowser();
    const address = email("flow");
    const res = await register(b, address);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/account");
    const account = await b.follow(res);
    expect(account.body).toContain('<dd id="account-name">Ada Lovelace</dd>');
    expect(account.body).toContain('<dd id="account-verified">not yet</dd>');
    expect(account.body).toContain(`We sent a link to ${address}`);

    const mail = await mailTo(address, "Verify your email address");
    const verify = await b.get(linkIn(mail.html, "/verify-email/"));
    expect(verify.status).toBe(303);
    expect((await b.follow(verify)).body).toMatch(/<dd id="account-verified">yes, <time datetime="\d{4}-/);
    // The link works once.
    expect((await b.get(linkIn(mail.html, "/verify-email/"))).status).toBe(404);

    const out = await b.post("/logout", {});
    expect(out.headers.get("location")).toBe("/login");
    const login = await b.follow(out);
    expect(login.body).toContain("You are signed out.");
    expect((await b.get("/account")).headers.get("location")).toBe("/login?intended=%2Faccount");

    await b.page("/login");
    const back = await b.post("/login", { email: address.toUpperCase(), password: "correct horse battery" });
    expect(back.headers.get("location")).toBe("/account");
    expect((await b.follow(back)).body).toContain(address);
  });

  it("re-renders a failed form with the user's input and each field's message, once, never echoing a password", async () => {
    const b = new PageBrowser();
    await b.page("/register");
    const res = await b.post("/register", { name: "  ", email: "not-an-email", password: "short", password_confirmation: "other" });
    expect(res.headers.get("location")).toBe("/register");
    const { body } = await b.follow(res);
    expect(body).toContain('value="not-an-email"');
    expect(body).toContain('<span class="error" id="name-error" role="alert">Enter your name.</span>');
    expect(body).toContain('<span class="error" id="email-error" role="alert">Enter a valid email address.</span>');
    expect(body).toContain('<span class="error" id="password-error" role="alert">Use at least 8 characters.</span>');
    expect(body).not.toContain("short");
    const again = await b.page("/register");
    expect(again.body).not.toContain("not-an-email");
    expect(again.body).not.toContain('class="error"');

    await b.post("/register", { name: "Ada", email: email("mismatch"), password: "long enough 1", password_confirmation: "long enough 2" });
    expect((await b.page("/register")).body).toContain('<span class="error" id="password_confirmation-error" role="alert">The passwords do not match.</span>');
  });

  it("an oversized submission gets its field messages, not a session too large for its cookie", async () => {
    const b = new PageBrowser();
    await b.page("/register");
    const huge = "x".repeat(20_000);
    const res = await b.post("/register", { name: huge, email: `${huge}@example.com`, password: "long enough 1", password_confirmation: "long enough 1", ...Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`extra${i}`, huge])) });
    expect(res.status).toBe(303);
    const { body } = await b.follow(res);
    expect(body).toContain('id="name-error"');
    expect(body).toContain('id="email-error"');
  });

  it("refuses a second account for the same address", async () => {
    const address = email("twice");
    await register(new PageBrowser(), address);
    const b = new PageBrowser();
    const res = await register(b, address.toUpperCase());
    expect(res.headers.get("location")).toBe("/register");
    expect((await b.follow(res)).body).toContain("already registered");
  });
});

describe("sign-in", () => {
  it("answers an unknown email exactly as a wrong password (no enumeration)", async () => {
    const address = email("enum");
    await register(new PageBrowser(), address);
    const answers: string[] = [];
    for (const who of [address, email("nobody")]) {
      const b = new PageBrowser();
      await b.page("/login");
      const res = await b.post("/login", { email: who, password: "wrong password!" });
      const { body } = await b.follow(res);
      answers.push(`${res.status} ${res.headers.get("location")} ${body.replace(/name="_token" value="[^"]+"/, "").replace(new RegExp(who, "g"), "EMAIL")}`);
    }
    expect(answers[0]).toContain("These credentials do not match our records.");
    expect(answers[1]).toBe(answers[0]);
  });

  it("sends a guest to /login keeping the page they asked for, and there after signing in", async () => {
    const address = email("intended");
    await register(new PageBrowser(), address);
    const b = new PageBrowser();
    const res = await b.get("/account?tab=security");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/login?intended=${encodeURIComponent("/account?tab=security")}`);
    await b.page(res.headers.get("location")!);
    const signedIn = await b.post("/login", { email: address, password: "correct horse battery" });
    expect(signedIn.headers.get("location")).toBe("/account?tab=security");

    // An intended URL off this site is dropped: signing in lands on /account.
    const other = new PageBrowser();
    await other.page("/login?intended=%2F%2Fevil.example%2F");
    expect((await other.post("/login", { email: address, password: "correct horse battery" })).headers.get("location")).toBe("/account");
  });

  it("regenerates the session on sign-in and sign-out: the cookie from before is not signed in", async () => {
    const address = email("fixation");
    await register(new PageBrowser(), address);
    const b = new PageBrowser();
    await b.page("/login");
    const before = b.jar.get("stratus_session")!;
    await b.post("/login", { email: address, password: "correct horse battery" });
    const during = b.jar.get("stratus_session")!;
    expect(during).not.toBe(before);
    const attacker = new PageBrowser();
    attacker.jar.set("stratus_session", before);
    expect((await attacker.get("/account")).headers.get("location")).toBe("/login?intended=%2Faccount");
    await b.page("/account");
    await b.post("/logout", {});
    expect(b.jar.get("stratus_session")).not.toBe(during);
  });

  it("rehashes a password stored with other parameters when the user signs in", async () => {
    const address = email("rehash");
    await register(new PageBrowser(), address);
    const weak = await hashPassword("correct horse battery", { ...PASSWORD_HASHING, iterations: 20_000 });
    await env.DB.prepare("update users set password_hash = ? where email = ?").bind(weak, address).run();
    const b = new PageBrowser();
    await b.page("/login");
    expect((await b.post("/login", { email: address, password: "correct horse battery" })).headers.get("location")).toBe("/account");
    const row = await env.DB.prepare("select password_hash as h from users where email = ?").bind(address).first<{ h: string }>();
    expect(row!.h).toMatch(/^\$pbkdf2-sha256\$i=100000\$/);
  });

  it("sets HttpOnly, SameSite=Lax, Secure cookies, and a remember-me cookie only when asked", async () => {
    const address = email("flags");
    await register(new PageBrowser(), address);
    const b = new PageBrowser();
    await b.page("/login");
    await b.post("/login", { email: address, password: "correct horse battery", remember: "1" });
    const session = b.lastSetCookies.find((l) => l.startsWith("stratus_session="))!;
    const remember = b.lastSetCookies.find((l) => l.startsWith("stratus_remember="))!;
    expect(session).toMatch(/; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax; Secure$/);
    expect(remember).toMatch(/; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax; Secure$/);
    // The session is gone (browser closed); the remember-me cookie signs the user back in and rotates.
    b.forget("stratus_session");
    const account = await b.get("/account");
    expect(account.status).toBe(200);
    expect(b.jar.get("stratus_remember")).not.toBe(remember.split(";")[0]!.split("=")[1]);
  });

  it("throttles the sixth attempt for one email: a 429 page or problem, with Retry-After", async () => {
    const left = 60_000 - (Date.now() % 60_000);
    if (left < 5_000) await new Promise((r) => setTimeout(r, left + 50));
    const address = email("throttle");
    const b = new PageBrowser();
    await b.page("/login");
    for (let i = 0; i < 5; i++) expect((await b.post("/login", { email: address, password: `guess ${i}` }, { "cf-connecting-ip": `198.51.100.${i + 1}` })).status).toBe(303);
    const page = await b.post("/login", { email: address, password: "guess 6" }, { "cf-connecting-ip": "198.51.100.9" });
    expect(page.status).toBe(429);
    expect(page.headers.get("retry-after")).toBe("60");
    expect(await page.text()).toContain("Too many attempts");
    const api = await b.post("/login", { email: address, password: "guess 7" }, { accept: "application/json" });
    expect(api.status).toBe(429);
    expect(api.headers.get("content-type")).toContain("application/problem+json");
    expect(api.headers.get("retry-after")).toBe("60");
  });

  it("refuses a sign-out posted from another site (403), so a page elsewhere cannot sign the user out", async () => {
    const address = email("csrf-logout");
    const b = new PageBrowser();
    await register(b, address);
    await b.page("/account");
    const res = await b.post("/logout", {}, { origin: "https://evil.example" });
    expect(res.status).toBe(403);
    expect((await b.get("/account")).status).toBe(200);
  });

  it("refuses a sign-in form without the CSRF token (the form expired)", async () => {
    const b = new PageBrowser();
    await b.get("/login");
    await b.page("/login");
    const res = await b.post("/login", { email: "a@example.com", password: "x", _token: "forged" });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("This form has expired");
  });
});

describe("password reset", () => {
  async function requestReset(b: PageBrowser, address: string) {
    await b.page("/forgot-password");
    return b.post("/forgot-password", { email: address });
  }

  it("answers known and unknown addresses alike, mails only the known one, and the link resets the password once", async () => {
    const address = email("reset");
    const owner = new PageBrowser();
    await register(owner, address);
    await owner.page("/login");
    await owner.post("/login", { email: address, password: "correct horse battery", remember: "1" });
    const ghost = email("ghost");
    const answers: string[] = [];
    for (const who of [address, ghost]) {
      const b = new PageBrowser();
      const res = await requestReset(b, who);
      answers.push(`${res.status} ${res.headers.get("location")} ${(await b.follow(res)).body.replace(/name="_token" value="[^"]+"/g, "")}`);
    }
    expect(answers[0]).toContain("If an account exists for that address");
    expect(answers[1]).toBe(answers[0]);

    const mail = await mailTo(address, "Reset your password");
    expect(outbox().to(ghost)).toEqual([]);
    const link = linkIn(mail.html, "/reset-password/");
    expect(mail.html).toContain(`href="http://localhost:8787${link}"`);
    const b = new PageBrowser();
    expect((await b.page(link)).body).toContain("Choose a new password");
    // A typo in the confirmation keeps the link usable.
    const typo = await b.post(link, { password: "a new password", password_confirmation: "a new passwrd" });
    expect(typo.headers.get("location")).toBe(link);
    expect((await b.follow(typo)).body).toContain("The passwords do not match.");
    const done = await b.post(link, { password: "a new password", password_confirmation: "a new password" });
    expect(done.headers.get("location")).toBe("/login");
    expect((await b.follow(done)).body).toContain("Your password has been reset.");

    // Reused: the same link again.
    const reused = await b.page(link);
    expect(reused.res.status).toBe(404);
    expect(reused.body).toContain("already used");
    expect((await b.post(link, { password: "another password", password_confirmation: "another password" })).status).toBe(404);

    // The old password no longer works, the new one does, and the remember-me tokens made before the reset are gone.
    const remembered = await env.DB.prepare("select count(*) as n from remember_tokens r join users u on u.id = r.user_id where u.email = ?").bind(address).first<{ n: number }>();
    expect(remembered!.n).toBe(0);
    const check = new PageBrowser();
    await check.page("/login");
    expect((await check.post("/login", { email: address, password: "correct horse battery" })).headers.get("location")).toBe("/login");
    expect((await check.post("/login", { email: address, password: "a new password" })).headers.get("location")).toBe("/account");
  });

  it("throttles reset requests per email like sign-in (429 with Retry-After)", async () => {
    const left = 60_000 - (Date.now() % 60_000);
    if (left < 5_000) await new Promise((r) => setTimeout(r, left + 50));
    const address = email("reset-throttle");
    const b = new PageBrowser();
    await b.page("/forgot-password");
    for (let i = 0; i < 5; i++) expect((await b.post("/forgot-password", { email: address }, { "cf-connecting-ip": `203.0.113.${i + 1}` })).status).toBe(303);
    const refused = await b.post("/forgot-password", { email: address }, { "cf-connecting-ip": "203.0.113.99" });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("60");
  });

  it("refuses an expired link (410) and a forged one (404)", async () => {
    const address = email("expired");
    await register(new PageBrowser(), address);
    await requestReset(new PageBrowser(), address);
    const mail = await mailTo(address, "Reset your password");
    const link = linkIn(mail.html, "/reset-password/");
    await env.DB.prepare("update auth_tokens set expires_at = ? where purpose = 'password-reset' and user_id = (select id from users where email = ?)").bind(Date.now() - 1, address).run();
    const b = new PageBrowser();
    const expired = await b.page(link);
    expect(expired.res.status).toBe(410);
    expect(expired.body).toContain("expired");
    expect((await b.page("/reset-password/forged-token-value")).res.status).toBe(404);
    await b.page("/forgot-password");
    expect((await b.post("/reset-password/forged-token-value", { password: "a new password", password_confirmation: "a new password" })).status).toBe(404);
  });
});

describe("account", () => {
  it("changes the password after checking the current one", async () => {
    const address = email("change");
    const b = new PageBrowser();
    await register(b, address);
    await b.page("/account");
    const wrong = await b.post("/account/password", { current_password: "nope nope", password: "brand new pass", password_confirmation: "brand new pass" });
    expect((await b.follow(wrong)).body).toContain("This is not your current password.");
    const ok = await b.post("/account/password", { current_password: "correct horse battery", password: "brand new pass", password_confirmation: "brand new pass" });
    expect((await b.follow(ok)).body).toContain("Your password has been changed");
    const check = new PageBrowser();
    await check.page("/login");
    expect((await check.post("/login", { email: address, password: "brand new pass" })).headers.get("location")).toBe("/account");
  });

  it("the JSON API never shows a password hash", async () => {
    const address = email("api");
    await register(new PageBrowser(), address);
    const list = await (await exports.default.fetch(new Request("http://localhost:8787/api/users?limit=100"))).text();
    expect(list).toContain(address);
    expect(list).not.toContain("pbkdf2");
    expect(list).not.toContain("passwordHash");
  });
});
