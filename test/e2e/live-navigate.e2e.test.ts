/**
 * data-navigate and navigate() in Chromium against wrangler dev: the forms
 * demo's two pages share a counter component; moving between them swaps the
 * body without a reload and keeps that counter's DOM and socket.
 */
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { port } from "./support/ports";
import { useSession } from "./support/session";

const session = useSession({ port: port(8851), inspectorPort: port(9351) });
let n = 0;
const key = () => `nav-${Date.now().toString(36)}-${++n}`;

interface Sockets {
  opened: string[];
  closed: string[];
}

async function open(k: string, page = "one"): Promise<{ p: Page; sockets: Sockets }> {
  const p = await session.browser.newPage();
  const sockets: Sockets = { opened: [], closed: [] };
  p.on("websocket", (ws) => {
    sockets.opened.push(ws.url());
    ws.on("close", () => sockets.closed.push(ws.url()));
  });
  await p.goto(`${session.dev.url}/forms/${k}/pages/${page}`);
  await p.waitForSelector('#shared[data-live-state="open"][data-live-seq]');
  return { p, sockets };
}

const live = (k: string) => (url: string) => url.includes(`/live/counter/${encodeURIComponent(k)}?`);

describe("data-navigate", () => {
  it("swaps the page without a reload, keeping the shared component's element and socket", async () => {
    const k = key();
    const { p, sockets } = await open(k);
    await p.click("#shared button");
    await p.waitForFunction(() => document.querySelector("#shared button")?.textContent === "1");
    // Survives only if the document is not reloaded and the element is not replaced.
    await p.evaluate(() => {
      (window as unknown as { marker: number }).marker = 42;
      (document.querySelector("#shared") as HTMLElement & { marker?: number }).marker = 7;
    });
    await p.click("#nav-two");
    await p.waitForSelector("#page-name >> text=Page two");
    expect(new URL(p.url()).pathname).toBe(`/forms/${k}/pages/two`);
    expect(await p.title()).toBe("Page two");
    expect(await p.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
    expect(await p.evaluate(() => (document.querySelector("#shared") as HTMLElement & { marker?: number }).marker)).toBe(7);
    // The component only on page two connects; the shared one kept its one socket.
    await p.waitForSelector('#only-two[data-live-state="open"]');
    expect(sockets.opened.filter(live(k))).toHaveLength(1);
    expect(sockets.closed.filter(live(k))).toHaveLength(0);
    // And it is still live: an action goes through it.
    await p.click("#shared button");
    await p.waitForFunction(() => document.querySelector("#shared button")?.textContent === "2");
    // Back: page one again, without a reload; the page-two component's socket closes.
    await p.goBack();
    await p.waitForSelector("#page-name >> text=Page one");
    expect(await p.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
    await p.waitForFunction(() => !document.querySelector("#only-two"));
    await expect.poll(() => sockets.closed.filter(live(`${k}-two`)).length).toBe(1);
    expect(sockets.opened.filter(live(k))).toHaveLength(1);
    expect(await p.textContent("#shared button")).toBe("2");
    await p.close();
  });

  it("restores the scroll position on back and starts a new page at the top", async () => {
    const k = key();
    const { p } = await open(k);
    await p.evaluate(() => document.querySelector("#bottom")!.scrollIntoView());
    const before = await p.evaluate(() => scrollY);
    expect(before).toBeGreaterThan(500);
    await p.click("#bottom-link");
    await p.waitForSelector("#page-name >> text=Page two");
    expect(await p.evaluate(() => scrollY)).toBe(0);
    await p.goBack();
    await p.waitForSelector("#page-name >> text=Page one");
    expect(await p.evaluate(() => scrollY)).toBe(before);
    await p.goForward();
    await p.waitForSelector("#page-name >> text=Page two");
    expect(await p.evaluate(() => scrollY)).toBe(0);
    await p.close();
  });

  it("shows a progress indicator while the page loads", async () => {
    const k = key();
    const { p } = await open(k);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await p.route("**/pages/two", async (route) => {
      await held;
      await route.continue();
    });
    await p.click("#nav-two");
    await p.waitForSelector("html[data-navigating]");
    expect(await p.evaluate(() => getComputedStyle(document.querySelector("#stratus-progress")!).opacity)).toBe("1");
    release();
    await p.waitForSelector("#page-name >> text=Page two");
    await p.waitForFunction(() => !document.documentElement.hasAttribute("data-navigating"));
    await p.close();
  });

  it("leaves data-navigate=\"false\" links and pages without JavaScript to the browser", async () => {
    const k = key();
    const { p } = await open(k, "two");
    await p.evaluate(() => ((window as unknown as { marker: number }).marker = 1));
    await p.click("#nav-off");
    await p.waitForSelector("#page-name >> text=Page one");
    expect(await p.evaluate(() => (window as unknown as { marker?: number }).marker)).toBeUndefined();
    await p.close();
    const ctx = await session.browser.newContext({ javaScriptEnabled: false });
    const off = await ctx.newPage();
    await off.goto(`${session.dev.url}/forms/${k}/pages/one`);
    await off.click("#nav-two");
    await off.waitForSelector("#page-name >> text=Page two");
    expect(new URL(off.url()).pathname).toBe(`/forms/${k}/pages/two`);
    await ctx.close();
  });

  it("navigate(url) from script does the same", async () => {
    const k = key();
    const { p, sockets } = await open(k);
    await p.evaluate((k) => window.Stratus.navigate(`/forms/${k}/pages/two`), k);
    await p.waitForSelector("#page-name >> text=Page two");
    expect(new URL(p.url()).pathname).toBe(`/forms/${k}/pages/two`);
    expect(sockets.opened.filter(live(k))).toHaveLength(1);
    await p.close();
  });
});

declare global {
  interface Window {
    Stratus: { navigate(url: string): Promise<void> };
  }
}
