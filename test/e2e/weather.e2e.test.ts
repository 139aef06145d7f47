/**
 * The Weather pages served by `wrangler dev` (with the stand-in upstream the
 * Worker serves itself), in headless Chromium: the index form, the live
 * component refreshing on its alarm, the stale notice while the upstream
 * fails and its recovery, and a layout that fits a phone and a desktop.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { overflow } from "./support/layout";
import { port } from "./support/ports";
import { useSession } from "./support/session";

// A short refresh interval, so the alarm-driven refresh shows within the test.
const session = useSession({
  port: port(8861),
  inspectorPort: port(9361),
  vars: { WEATHER_REFRESH_SECONDS: "2", WEATHER_TIMEOUT_MS: "300", WEATHER_RETRY_BASE_MS: "5" },
  // The index lists the most viewed cities (D1).
  migrate: true,
});
const shots = mkdtempSync(join(tmpdir(), "stratus-weather-e2e-"));
afterAll(() => process.env.KEEP_SHOTS ? console.log("screenshots in", shots) : rmSync(shots, { recursive: true, force: true }));

const city = () => `e2e-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

async function control(body: { mode: string; city?: string }): Promise<void> {
  const res = await fetch(`${session.dev.url}/__standin/open-meteo/control`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
}

async function live(page: Page): Promise<void> {
  await page.waitForSelector('.weather-mount[data-live-state="open"]', { timeout: 15_000 });
}

describe("weather pages against wrangler dev", () => {
  it("goes from the welcome page through the city form to a live forecast", async () => {
    const page = await session.browser.newPage();
    await page.goto(session.dev.url, { waitUntil: "load" });
    await page.click('a[href="/weather"]');
    await page.waitForSelector("form.city-form");
    const name = city();
    await page.fill("#city", name.toUpperCase().replace(/-/g, " "));
    await page.click("form.city-form button");
    await page.waitForURL(`**/weather/${name}`);
    await page.waitForSelector('.weather[data-status="fresh"]');
    expect(await page.textContent(".weather .temp")).toMatch(/^-?\d+°C$/);
    expect(await page.locator(".weather .days li").count()).toBe(3);
    expect(await page.textContent(".weather .updated")).toMatch(/Updated \d\d:\d\d UTC/);
    await live(page);
    await page.close();
  });

  it("shows the stale notice live while the upstream fails, keeps the last good data, and recovers", async () => {
    const name = city();
    const page = await session.browser.newPage();
    await page.goto(`${session.dev.url}/weather/${name}`);
    await live(page);
    const temp = await page.textContent(".weather .temp");
    const firstUpdate = await page.getAttribute(".weather .updated time", "datetime");
    // The alarm refreshes while the page watches: the update time moves on.
    await page.waitForFunction((t) => document.querySelector(".weather .updated time")?.getAttribute("datetime") !== t, firstUpdate, { timeout: 15_000 });

    await control({ mode: "error", city: name });
    await page.waitForSelector('.weather[data-status="stale"] .notice.stale', { timeout: 15_000 });
    expect(await page.textContent(".notice.stale")).toMatch(/^Stale: the weather service is failing/);
    expect(await page.textContent(".weather .temp")).toBe(temp);
    await page.screenshot({ path: join(shots, "weather-stale.png"), fullPage: true });

    await control({ mode: "ok", city: name });
    await page.waitForSelector('.weather[data-status="fresh"]', { timeout: 15_000 });
    expect(await page.locator(".notice.stale").count()).toBe(0);
    await page.close();
  });

  for (const width of [375, 1280]) {
    it(`fits a ${width} px wide screen without horizontal overflow`, async () => {
      const page = await session.browser.newPage({ viewport: { width, height: 800 } });
      for (const path of [`/weather/${city()}`, "/weather", "/"]) {
        await page.goto(`${session.dev.url}${path}`);
        await page.waitForLoadState("load");
        const o = await overflow(page);
        expect(o.culprits, `${path} at ${width}px`).toEqual([]);
        expect(o.scroll).toBeLessThanOrEqual(o.viewport);
      }
      await page.goto(`${session.dev.url}/weather/${city()}`);
      await live(page);
      const file = join(shots, `weather-${width}.png`);
      await page.screenshot({ path: file, fullPage: true });
      expect(existsSync(file) && statSync(file).size).toBeGreaterThan(1000);
      await page.close();
    });
  }
});
