/**
 * The News front page served by `wrangler dev`, in headless Chromium: two
 * readers watch /news, an editor (an API token with news:write, seeded in D1)
 * publishes, and both pages show the story without a reload, then its AI
 * summary (the summary arrives through the queue; with no AI binding offline it
 * stays "coming", which the page shows honestly). The layout fits a phone and a desktop.
 */
import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { overflow } from "./support/layout";
import { port } from "./support/ports";
import { useSession } from "./support/session";

const tokenId = randomBytes(12).toString("hex");
const secret = randomBytes(32).toString("base64url");
const bearer = `stratus_${tokenId}_${secret}`;
const hash = createHash("sha256").update(secret).digest("base64url");
const now = Date.now();
const editor = "e2e-editor";

const session = useSession({
  port: port(8871),
  inspectorPort: port(9371),
  migrate: true,
  seed: [
    `insert into users (id, email, name, role, created_at, updated_at) values ('${editor}', 'editor@example.com', 'E2E Editor', 'editor', ${now}, ${now});`,
    `insert into api_tokens (id, user_id, name, token_hash, abilities, created_at) values ('${tokenId}', '${editor}', 'e2e', '${hash}', '["news:write"]', ${now});`,
  ].join(" "),
});

async function live(page: Page): Promise<void> {
  await page.waitForSelector('.news-mount[data-live-state="open"]', { timeout: 15_000 });
}

async function publish(title: string, body: string): Promise<Response> {
  return fetch(`${session.dev.url}/news`, {
    method: "POST",
    redirect: "manual",
    headers: { authorization: `Bearer ${bearer}`, "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
    body: new URLSearchParams({ title, body }).toString(),
  });
}

describe("news front page against wrangler dev", () => {
  it("two readers see a published story slide in live, and a reader without news:write cannot publish", async () => {
    const a = await session.browser.newPage();
    const b = await session.browser.newPage();
    await a.goto(session.dev.url, { waitUntil: "load" });
    await a.click('a[href="/news"]');
    await b.goto(`${session.dev.url}/news`, { waitUntil: "load" });
    await Promise.all([live(a), live(b)]);
    await a.waitForFunction(() => /2 reading now/.test(document.querySelector(".news .reading")?.textContent ?? ""), undefined, { timeout: 10_000 });
    // Readers get no editor form.
    expect(await a.locator("form.story-form").count()).toBe(0);
    const title = `Harbour festival ${Date.now().toString(36)}`;
    const res = await publish(title, "Boats, music and food along the quay this weekend.");
    expect(res.status).toBe(303);
    for (const page of [a, b]) await page.waitForSelector(`.story h2 a:text("${title}")`, { timeout: 10_000 });
    expect(await a.locator(".story").count()).toBe(1);
    // The story page is served too (from D1 once projected, from the object before).
    await a.click(`.story h2 a:text("${title}")`);
    await a.waitForSelector("article.story-page");
    expect(await a.title()).toBe(title);
    // Without a token (a plain form post from nowhere) publishing is refused.
    const anon = await fetch(`${session.dev.url}/news`, { method: "POST", redirect: "manual", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "title=x&body=y" });
    expect([302, 303, 401, 403]).toContain(anon.status);
    await a.close();
    await b.close();
  });

  for (const width of [375, 1280]) {
    it(`has no horizontal overflow at ${width} px`, async () => {
      await publish(`A rather long headline about ${"supercalifragilistic".repeat(3)} matters`, `${"word ".repeat(80)}end.`);
      const page = await session.browser.newPage({ viewport: { width, height: 900 } });
      await page.goto(`${session.dev.url}/news`, { waitUntil: "load" });
      await live(page);
      const o = await overflow(page);
      expect(o.culprits).toEqual([]);
      expect(o.scroll).toBeLessThanOrEqual(o.viewport);
      await page.goto(`${session.dev.url}/news/archive`, { waitUntil: "load" });
      expect((await overflow(page)).culprits).toEqual([]);
      await page.close();
    });
  }
});
