/**
 * Issue 15's "done when", end to end in headless Chromium against `wrangler
 * dev`: register, verify from the mail read at the development mail page,
 * sign in, create an API token on /account and call the JSON API with it,
 * see the user's name in the live Notepad, reset a forgotten password from
 * its mail, sign in with the new password and sign out.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { port } from "./support/ports";
import { useSession } from "./support/session";

const session = useSession({ port: port(8871), inspectorPort: port(9371), migrate: true });

/** The newest mail to `to` with `subject`, opened at the development mail page; returns its link whose text is `linkText`. */
async function mailLink(page: Page, base: string, to: string, subject: string, linkText: string): Promise<string> {
  let href: string | null = null;
  // Mail goes through the queue: poll the page until the consumer has logged it.
  for (let i = 0; i < 60 && !href; i++) {
    await page.goto(`${base}/__stratus/mail`);
    href = await page.locator(`li:has-text("${to}") a:has-text("${subject}")`).first().getAttribute("href", { timeout: 500 }).catch(() => null);
    if (!href) await page.waitForTimeout(250);
  }
  expect(href, `a mail "${subject}" to ${to}`).not.toBeNull();
  await page.goto(`${base}${href}`);
  const link = await page.locator(`a:has-text("${linkText}")`).getAttribute("href");
  expect(link).toMatch(new RegExp(`^${base}/`));
  return link!;
}

async function signIn(page: Page, base: string, email: string, password: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.fill("#email", email);
  await page.fill("#password", password);
  await Promise.all([page.waitForURL(`${base}/account`), page.click("button >> text=Sign in")]);
}

async function signOut(page: Page, base: string): Promise<void> {
  await page.goto(`${base}/account`);
  await Promise.all([page.waitForURL(`${base}/login`), page.click("#sign-out button")]);
  expect(await page.textContent("[role=status]")).toBe("You are signed out.");
}

describe("the whole sign-in journey against wrangler dev", () => {
  it("register → verify → sign in → API token → live Notepad → forgot and reset password → sign in → sign out", async () => {
    const context = await session.browser.newContext();
    const page = await context.newPage();
    const email = `journey-${Date.now().toString(36)}@example.com`;
    const base = session.dev.url;

    // Register (which signs the new user in) and verify the address from the mail.
    await page.goto(`${base}/register`);
    await page.fill("#name", "Katherine Johnson");
    await page.fill("#email", email);
    await page.fill("#password", "trajectories 1962");
    await page.fill("#password_confirmation", "trajectories 1962");
    await Promise.all([page.waitForURL(`${base}/account`), page.click("button[type=submit] >> text=Register")]);
    await page.goto(await mailLink(page, base, email, "Verify your email address", "Verify my email address"));
    await page.waitForURL(`${base}/account`);
    expect(await page.textContent("#account-verified")).toMatch(/^yes/);

    // Sign out, and back in with the password.
    await signOut(page, base);
    await signIn(page, base, email, "trajectories 1962");
    expect(await page.textContent("#account-name")).toBe("Katherine Johnson");

    // An API token, whose plaintext the page shows once; the test's own fetch (no cookie) uses it.
    await page.fill("#api-tokens input[name=name]", "journey script");
    await page.locator("#api-tokens input[name=abilities]").first().check();
    await Promise.all([page.waitForURL(`${base}/account`), page.click("#api-tokens button >> text=Create token")]);
    const token = (await page.textContent("#new-token"))!.trim();
    expect(token).toMatch(/^stratus_/);
    const me = await fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${token}`, accept: "application/json" } });
    expect(me.status).toBe(200);
    const body = (await me.json()) as { user: Record<string, unknown>; via: string };
    expect(body.via).toBe("token");
    expect(body.user).toMatchObject({ email, name: "Katherine Johnson" });
    expect(Object.keys(body.user).filter((k) => /password|hash/i.test(k))).toEqual([]);
    await page.reload();
    expect(await page.locator("#new-token").count()).toBe(0);

    // The live Notepad, bound to the signed-in user: a note written over its socket names them.
    await page.goto(`${base}/notes`);
    await page.waitForSelector('#notepad[data-live-state="open"]');
    await page.fill("#notepad input[name=text]", "Check the numbers by hand.");
    await page.press("#notepad input[name=text]", "Enter");
    await page.waitForSelector("#notepad li >> text=Check the numbers by hand.");
    expect(await page.textContent("#notepad-owner")).toBe("Katherine Johnson's notes");

    // Forgot the password: signed out, ask for the link, reset from the mail, sign in with the new one.
    await signOut(page, base);
    await page.goto(`${base}/forgot-password`);
    await page.fill("#email", email);
    await Promise.all([page.waitForURL(`${base}/forgot-password`), page.click("button >> text=Send the link")]);
    await page.goto(await mailLink(page, base, email, "Reset your password", "Choose a new password"));
    await page.fill("#password", "orbital mechanics 1969");
    await page.fill("#password_confirmation", "orbital mechanics 1969");
    await Promise.all([page.waitForURL(`${base}/login`), page.click("button >> text=Reset password")]);
    expect(await page.textContent("[role=status]")).toContain("Your password has been reset");

    await page.fill("#email", email);
    await page.fill("#password", "trajectories 1962");
    await Promise.all([page.waitForURL(`${base}/login`), page.click("button >> text=Sign in")]);
    expect(await page.textContent("[role=alert]")).toBe("These credentials do not match our records.");
    await signIn(page, base, email, "orbital mechanics 1969");
    expect(await page.textContent("#account-email")).toBe(email);

    await signOut(page, base);
    await page.goto(`${base}/account`);
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe("/login?intended=%2Faccount");
    await context.close();
  });
});
