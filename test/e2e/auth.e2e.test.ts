/**
 * Register, verify, sign out and sign in through the real pages served by
 * `wrangler dev`, in headless Chromium: real forms, CSRF tokens, session and
 * remember-me cookies, local D1 and the verification mail read at the
 * development mail route.
 */
import { describe, expect, it } from "vitest";
import { port } from "./support/ports";
import { useSession } from "./support/session";

const session = useSession({ port: port(8861), inspectorPort: port(9361), migrate: true });

describe("sign-in pages against wrangler dev", () => {
  it("registers, verifies the address from the dev mail route, signs out and signs back in", async () => {
    const context = await session.browser.newContext();
    const page = await context.newPage();
    const email = `e2e-${Date.now().toString(36)}@example.com`;
    const base = session.dev.url;

    await page.goto(`${base}/register`);
    await page.fill("#name", "Grace Hopper");
    await page.fill("#email", email);
    await page.fill("#password", "cobol is forever");
    await page.fill("#password_confirmation", "cobol is forever");
    await Promise.all([page.waitForURL(`${base}/account`), page.click("button[type=submit] >> text=Register")]);
    expect(await page.textContent("#account-name")).toBe("Grace Hopper");
    expect(await page.textContent("#account-verified")).toBe("not yet");

    const cookies = await context.cookies(base);
    const sessionCookie = cookies.find((c) => c.name === "stratus_session")!;
    expect(sessionCookie.httpOnly).toBe(true);
    expect(sessionCookie.sameSite).toBe("Lax");

    // The verification mail, queued and logged by the development driver, read where a developer reads it.
    let mailHref: string | null = null;
    for (let i = 0; i < 40 && !mailHref; i++) {
      await page.goto(`${base}/__stratus/mail`);
      mailHref = await page.locator(`li:has-text("${email}") a:has-text("Verify your email address")`).first().getAttribute("href", { timeout: 500 }).catch(() => null);
      if (!mailHref) await page.waitForTimeout(250);
    }
    expect(mailHref).not.toBeNull();
    await page.goto(`${base}${mailHref}`);
    const verifyHref = await page.locator("a:has-text('Verify my email address')").getAttribute("href");
    expect(verifyHref).toMatch(new RegExp(`^${base}/verify-email/`));
    await page.goto(verifyHref!);
    await page.waitForURL(`${base}/account`);
    expect(await page.textContent("[role=status]")).toContain("verified");
    expect(await page.textContent("#account-verified")).toMatch(/^yes/);

    await Promise.all([page.waitForURL(`${base}/login`), page.click("#sign-out button")]);
    expect(await page.textContent("[role=status]")).toBe("You are signed out.");
    await page.goto(`${base}/account`);
    await page.waitForURL((url) => url.pathname === "/login" && url.searchParams.get("intended") === "/account");

    await page.fill("#email", email);
    await page.fill("#password", "not the password");
    await Promise.all([page.waitForURL(`${base}/login`), page.click("button >> text=Sign in")]);
    expect(await page.textContent("[role=alert]")).toBe("These credentials do not match our records.");
    expect(await page.inputValue("#email")).toBe(email);
    expect(await page.inputValue("#password")).toBe("");

    await page.fill("#password", "cobol is forever");
    await page.check("input[name=remember]");
    await Promise.all([page.waitForURL(`${base}/account`), page.click("button >> text=Sign in")]);
    expect(await page.textContent("#account-email")).toBe(email);
    const remember = (await context.cookies(base)).find((c) => c.name === "stratus_remember");
    expect(remember?.httpOnly).toBe(true);

    // The browser restarts without its session cookie: remember-me signs the user back in.
    await context.clearCookies({ name: "stratus_session" });
    await page.goto(`${base}/account`);
    expect(page.url()).toBe(`${base}/account`);
    expect(await page.textContent("#account-name")).toBe("Grace Hopper");
    await context.close();
  });
});
