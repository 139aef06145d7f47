/**
 * The demo page served by `wrangler dev`, in headless Chromium: real Worker,
 * real component Durable Objects, real WebSockets and the built runtime.
 */
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { port } from "./support/ports";
import { useSession } from "./support/session";

const session = useSession({ port: port(8841), inspectorPort: port(9341) });
let n = 0;
const key = () => `e2e-${Date.now().toString(36)}-${++n}`;

async function open(k: string): Promise<Page> {
  const page = await session.browser.newPage();
  page.on("dialog", (d) => void d.dismiss());
  await page.goto(`${session.dev.url}/demo/${k}`);
  await page.waitForSelector('#mount-0[data-live-state="open"]');
  // The first frame after hello: the runtime holds the tree from here on.
  await page.waitForFunction(() => window.Stratus.connections.size > 0 && [...window.Stratus.connections.values()][0]!.seq >= 0);
  return page;
}

const countIs = (p: Page, v: number, timeout = 10_000) => p.waitForFunction((v) => document.querySelector("#count")?.textContent === String(v), v, { timeout });

describe("demo page against wrangler dev", () => {
  it("shows an action in one page in another page on the same component", async () => {
    const k = key();
    const a = await open(k);
    const b = await open(k);
    await a.click("#inc");
    await a.click("#inc");
    await countIs(b, 2);
    await b.fill("#draft", "from b");
    await b.press("#draft", "Enter");
    await a.waitForSelector("#items li >> text=from b");
    await a.close();
    await b.close();
  });

  it("recovers the right state without a reload after the object is evicted", async () => {
    const k = key();
    const a = await open(k);
    const sockets: string[] = [];
    a.on("websocket", (ws) => sockets.push(ws.url()));
    for (let i = 0; i < 3; i++) await a.click("#inc");
    await countIs(a, 3);
    const res = await fetch(`${session.dev.url}/__debug/evict/demo/${k}`, { method: "POST" });
    expect(res.status).toBe(200);
    // The eviction drops the socket; the runtime reconnects and resumes.
    await a.waitForFunction(() => document.querySelector("#mount-0")?.getAttribute("data-live-state") === "open" , null, { timeout: 15_000 });
    await a.click("#inc");
    await countIs(a, 4, 15_000);
    if (process.env.E2E_FORCE_RELAYS === "true") {
      // Through a relay, the root's crash drops no viewer: the relay re-fetches what it missed.
      expect(sockets).toEqual([]);
    } else {
      // A new socket was opened after the eviction dropped the first one.
      expect(sockets.length).toBeGreaterThanOrEqual(1);
    }
    const fresh = await open(k);
    expect(await fresh.textContent("#count")).toBe("4");
    await a.close();
    await fresh.close();
  });

  it("reconnects and catches up after the dev server restarts", async () => {
    const k = key();
    const a = await open(k);
    await a.click("#inc");
    await countIs(a, 1);
    await session.dev.stop();
    await a.waitForSelector('#mount-0[data-live-state="offline"]', { timeout: 15_000 });
    // Offline clicks are buffered and sent once the server is back.
    await a.click("#inc");
    await session.dev.start();
    const b = await open(k);
    await b.click("#inc");
    await b.click("#inc");
    await countIs(a, 4, 30_000);
    await countIs(b, 4);
    expect(await a.getAttribute("#mount-0", "data-live-state")).toBe("open");
    await a.close();
    await b.close();
  });

  it("keeps typed text and cursor while updates from another page arrive", async () => {
    const k = key();
    const a = await open(k);
    const b = await open(k);
    await a.click("#draft");
    await a.keyboard.type("typing here");
    await a.evaluate(() => (document.querySelector("#draft") as HTMLInputElement).setSelectionRange(3, 6));
    for (let i = 0; i < 10; i++) await b.click("#inc");
    await countIs(a, 10);
    const state = await a.evaluate(() => {
      const el = document.querySelector("#draft") as HTMLInputElement;
      return { value: el.value, start: el.selectionStart, end: el.selectionEnd, focused: document.activeElement === el };
    });
    expect(state).toEqual({ value: "typing here", start: 3, end: 6, focused: true });
    await a.close();
    await b.close();
  });

  it("never executes script held in component state", async () => {
    const k = key();
    const a = await open(k);
    await a.evaluate(() => ((window as unknown as { __xss: number }).__xss = 0));
    const vectors = ["<script>window.__xss++</script>", "<img src=x onerror=window.__xss++>", '"><svg onload=window.__xss++>', "javascript:window.__xss++"];
    for (const v of vectors) {
      await a.fill("#draft", v);
      await a.press("#draft", "Enter");
    }
    await a.waitForFunction((n) => document.querySelectorAll("#items li").length === n, vectors.length);
    await a.hover("#items li:nth-child(2) a");
    expect(await a.getAttribute("#items li:nth-child(4) a", "href")).toBe("about:blank#blocked");
    expect(await a.evaluate(() => (window as unknown as { __xss: number }).__xss)).toBe(0);
    const b = await session.browser.newPage();
    await b.addInitScript(() => ((window as unknown as { __xss: number }).__xss = 0));
    await b.goto(`${session.dev.url}/demo/${k}`);
    expect(await b.$$eval("#items li a", (as) => as.map((x) => x.textContent))).toEqual(vectors);
    expect(await b.evaluate(() => document.querySelectorAll("#items script, #items img, #items svg").length)).toBe(0);
    expect(await b.evaluate(() => (window as unknown as { __xss: number }).__xss)).toBe(0);
    await a.close();
    await b.close();
  });
});

declare global {
  interface Window {
    Stratus: { connections: Map<string, { seq: number }> };
  }
}
