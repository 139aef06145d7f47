/**
 * The UserProfile page served by `wrangler dev`, in headless Chromium: the
 * owner registers, signs out, signs in again through /profile, edits name and
 * bio with validation shown while typing, uploads an avatar (in parts, with
 * progress) and saves; a second browser context viewing the same profile sees
 * "online now" while the owner's tab is open, the saved change live (the avatar
 * streamed back from R2), and "offline" once the owner leaves. The page fits a
 * phone and a desktop, with screenshots (`KEEP_SHOTS=1` keeps them).
 */
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { overflow } from "./support/layout";
import { port } from "./support/ports";
import { useSession } from "./support/session";
import { expectRisingTo1, png, slowUploads, watchProgress } from "./support/uploads";

const session = useSession({ port: port(8881), inspectorPort: port(9381), migrate: true });
const shots = mkdtempSync(join(tmpdir(), "stratus-profile-e2e-"));
afterAll(() => (process.env.KEEP_SHOTS ? console.log("screenshots in", shots) : rmSync(shots, { recursive: true, force: true })));

const PASSWORD = "compilers 1952";
let n = 0;
const email = () => `grace-${Date.now().toString(36)}-${++n}@example.com`;

const live = (page: Page) => page.waitForSelector('#profile[data-live-state="open"]', { timeout: 15_000 });

/** Registers (which signs in), signs out, and signs in again from the welcome page's link: /profile → /login → /users/<id>. */
async function owner(context: BrowserContext, name: string, address: string): Promise<{ page: Page; url: string }> {
  const base = session.dev.url;
  const page = await context.newPage();
  await page.goto(`${base}/register`);
  await page.fill("#name", name);
  await page.fill("#email", address);
  await page.fill("#password", PASSWORD);
  await page.fill("#password_confirmation", PASSWORD);
  await Promise.all([page.waitForURL(`${base}/account`), page.click("button[type=submit] >> text=Register")]);
  await Promise.all([page.waitForURL(`${base}/login`), page.click("#sign-out button")]);
  await page.goto(base);
  await Promise.all([page.waitForURL(/\/login\?intended=/), page.click('a[href="/profile"]')]);
  await page.fill("#email", address);
  await page.fill("#password", PASSWORD);
  await Promise.all([page.waitForURL(/\/users\/[\w-]+$/), page.click("button >> text=Sign in")]);
  await live(page);
  return { page, url: page.url() };
}

const text = (page: Page, sel: string) => page.textContent(sel).then((t) => (t ?? "").trim());

describe("user profile against wrangler dev", () => {
  it("the owner edits with live validation and an avatar upload; another browser sees it live, and 'online now'", async () => {
    const a = await session.browser.newContext();
    const { page: mine, url } = await owner(a, "Grace", email());
    expect(await text(mine, "#profile-name")).toBe("Grace");

    // Someone else (a second browser context, not signed in) opens the same profile.
    const b = await session.browser.newContext();
    const theirs = await b.newPage();
    await theirs.goto(url);
    await live(theirs);
    await theirs.waitForFunction(() => document.querySelector("#profile-presence")?.textContent?.includes("online now"), undefined, { timeout: 10_000 });
    expect(await theirs.isVisible("#profile-edit")).toBe(false);

    // Edit in place: errors show while typing, and clear when fixed.
    await mine.click("#profile-edit");
    await mine.waitForSelector("#profile-form");
    expect(await mine.inputValue("#profile-name-input")).toBe("Grace");
    await mine.fill("#profile-name-input", "   ");
    await mine.waitForFunction(() => document.querySelector("#name-error")?.textContent === "Enter your name.");
    await mine.fill("#profile-name-input", "Grace Hopper");
    await mine.waitForFunction(() => document.querySelector("#name-error")?.textContent === "");
    await mine.fill("#profile-bio-input", "Rear admiral. Wrote the first compiler.");
    await mine.fill("#profile-links-input", "not a link");
    await mine.click("#profile-bio-input"); // links validate when the field is left
    await mine.waitForFunction(() => (document.querySelector("#links-error")?.textContent ?? "").startsWith("Each line must be a full link"));
    await mine.fill("#profile-links-input", "https://en.wikipedia.org/wiki/Grace_Hopper");
    await mine.click("#profile-bio-input");
    await mine.waitForFunction(() => document.querySelector("#links-error")?.textContent === "");
    // Not saved yet: the other viewer still sees the old profile.
    expect(await text(theirs, "#profile-name")).toBe("Grace");

    // A file that is not an image is refused before anything is sent.
    const refused = mine.evaluate(() => new Promise<string>((resolve) => document.querySelector("#avatar-input")!.addEventListener("stratus:upload-error", (e) => resolve((e as CustomEvent<{ message: string }>).detail.message), { once: true })));
    await mine.setInputFiles("#avatar-input", { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("hello") });
    expect(await refused).toMatch(/notes\.txt is not an accepted type/);
    expect(await mine.getAttribute("#avatar-input", "data-upload-state")).toBe("error");
    expect(await mine.evaluate(() => getComputedStyle(document.querySelector("#avatar-hint")!, "::before").content)).toContain("refused");

    // The avatar, uploaded in parts with progress (the upload is slowed so its progress can be seen).
    const bar = await watchProgress(mine, "#avatar-progress");
    const restore = await slowUploads(mine);
    await mine.setInputFiles("#avatar-input", { name: "grace.png", mimeType: "image/png", buffer: png(1_500_000) });
    await mine.waitForSelector("#avatar-preview img");
    await mine.waitForSelector('#avatar-input[data-upload-state="done"]', { timeout: 30_000 });
    await restore();
    expectRisingTo1(await bar.seen());

    // Save: the form closes for the owner, and the other browser sees the change without a reload.
    await mine.click("#profile-save");
    await mine.waitForSelector("#profile-form", { state: "detached", timeout: 10_000 });
    await mine.waitForSelector('[data-flash] [data-level="success"]');
    await theirs.waitForFunction(() => document.querySelector("#profile-name")?.textContent === "Grace Hopper", undefined, { timeout: 10_000 });
    expect(await text(theirs, "#profile-bio")).toBe("Rear admiral. Wrote the first compiler.");
    expect(await text(theirs, "#profile-links a")).toBe("en.wikipedia.org/wiki/Grace_Hopper");
    await theirs.waitForFunction(() => {
      const img = document.querySelector("img#profile-avatar") as HTMLImageElement | null;
      return img !== null && img.complete && img.naturalWidth === 1;
    }, undefined, { timeout: 10_000 });
    const src = await theirs.getAttribute("img#profile-avatar", "src");
    expect(src).toMatch(/\/avatar\/[\w-]+$/);
    const served = await fetch(`${session.dev.url}${src}`);
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(served.headers.get("cache-control")).toContain("immutable");
    // The API reads the same row.
    const api = (await (await fetch(`${session.dev.url}/api/users/${url.split("/").at(-1)}`)).json()) as { name: string; bio: string; avatarUrl: string; links: string[] };
    expect(api).toMatchObject({ name: "Grace Hopper", bio: "Rear admiral. Wrote the first compiler.", avatarUrl: src, links: ["https://en.wikipedia.org/wiki/Grace_Hopper"] });

    // The owner leaves: the other viewer sees "offline".
    await a.close();
    await theirs.waitForFunction(() => document.querySelector("#profile-presence")?.textContent?.trim() === "offline", undefined, { timeout: 15_000 });
    await b.close();
  });

  for (const width of [375, 1280]) {
    it(`fits a ${width} px wide screen without horizontal overflow, with the edit form open`, async () => {
      const context = await session.browser.newContext({ viewport: { width, height: 900 } });
      const { page, url } = await owner(context, "Someone With A Rather Long Name Indeed", email());
      await page.click("#profile-edit");
      await page.waitForSelector("#profile-form");
      await page.fill("#profile-bio-input", `${"wordy ".repeat(60)}${"unbroken".repeat(12)}`);
      await page.fill("#profile-links-input", `https://example.com/${"very-long-path-segment/".repeat(6)}\nhttps://example.org`);
      await page.click("#profile-save");
      await page.waitForSelector("#profile-form", { state: "detached" });
      await page.click("#profile-edit");
      await page.waitForSelector("#profile-form");
      for (const p of [page, await context.newPage()]) {
        if (p !== page) {
          await p.goto(url);
          await live(p);
        }
        const o = await overflow(p);
        expect(o.culprits, `${url} at ${width}px`).toEqual([]);
        expect(o.scroll).toBeLessThanOrEqual(o.viewport);
      }
      const file = join(shots, `profile-${width}.png`);
      await page.screenshot({ path: file, fullPage: true });
      expect(existsSync(file) && statSync(file).size).toBeGreaterThan(1000);
      await context.close();
    });
  }
});
