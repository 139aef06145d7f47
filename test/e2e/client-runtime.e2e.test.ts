/**
 * The browser runtime in headless Chromium against a protocol stand-in
 * (support/fake-live-server.ts), so reconnects, outages and lost acks can be
 * staged precisely. The same runtime against the real component objects
 * under `wrangler dev` is covered in live-demo.e2e.test.ts.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launchBrowser } from "./support/browser";
import { startFakeServer, type FakeServer } from "./support/fake-live-server";

const PORT = 8845;
let browser: Browser;
let server: FakeServer;
let key: string;
let n = 0;

beforeAll(async () => {
  browser = await launchBrowser();
  server = await startFakeServer(PORT);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});
beforeEach(() => {
  key = `k${++n}`;
});

async function open(mounts = 1): Promise<Page> {
  const page = await browser.newPage();
  page.on("dialog", (d) => void d.dismiss());
  await page.goto(`${server.url}/page/${key}?mounts=${mounts}`);
  await page.waitForSelector('[data-live-state="open"]');
  return page;
}

const count = (p: Page) => p.textContent("#mount-0 #count");

describe("browser runtime", () => {
  it("shows the server render before the socket opens, then goes live", async () => {
    const page = await browser.newPage();
    await page.route("**/stratus/client.js", (r) => r.abort());
    await page.goto(`${server.url}/page/${key}`);
    expect(await count(page)).toBe("0");
    expect(await page.getAttribute("#mount-0", "data-live-state")).toBe("connecting");
    await page.close();
    const live = await open();
    expect(await live.getAttribute("#mount-0", "data-live-seq")).toBe("0");
    await live.close();
  });

  it("sends data-action clicks and form fields as actions, and shares one socket per instance", async () => {
    const before = server.connections;
    const a = await open(2);
    expect(server.connections - before).toBe(1);
    await a.click("#mount-0 #inc");
    await a.waitForFunction(() => document.querySelector("#mount-1 #count")?.textContent === "1");
    await a.fill("#mount-0 #draft", "hello");
    await a.click("#mount-0 #add button");
    await a.waitForSelector("#mount-1 li:nth-child(2)");
    expect(await a.textContent("#mount-1 li:nth-child(2)")).toBe("hello");
    // The submitted form follows the server again: its input was cleared.
    await a.waitForFunction(() => (document.querySelector("#mount-0 #draft") as HTMLInputElement).value === "");
    expect(server.actions.filter((x) => x.key === key).map((x) => x.name)).toEqual(["increment", "add"]);
    await a.close();
  });

  it("shows an action from one page in another", async () => {
    const a = await open();
    const b = await open();
    await a.click("#inc");
    await a.click("#inc");
    await b.waitForFunction(() => document.querySelector("#count")?.textContent === "2");
    expect(await b.getAttribute("#mount-0", "data-live-seq")).toBe("2");
    await a.close();
    await b.close();
  });

  it("stops retrying once its mount token has expired, and says so", async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/page/${key}?ttl=1`);
    await page.waitForSelector('[data-live-state="open"]');
    await page.evaluate(() => document.addEventListener("stratus:expired", () => ((window as unknown as { expired: boolean }).expired = true)));
    await page.waitForTimeout(1200);
    const before = server.connections;
    server.dropSockets();
    await page.waitForSelector('[data-live-state="expired"]');
    expect(await page.evaluate(() => (window as unknown as { expired?: boolean }).expired)).toBe(true);
    await page.waitForTimeout(1500);
    expect(server.connections).toBe(before);
    await page.close();
  });

  it("reconnects after the server drops the socket and catches up with since", async () => {
    const page = await open();
    server.update(key, (s) => ({ ...s, count: 5 }));
    await page.waitForFunction(() => document.querySelector("#count")?.textContent === "5");
    server.setOffline(true);
    await page.waitForSelector('[data-live-state="offline"]');
    // Updates committed while the page is away.
    server.update(key, (s) => ({ ...s, count: 6 }));
    server.update(key, (s) => ({ ...s, items: [...s.items, { id: 2, text: "while away" }] }));
    server.setOffline(false);
    await page.waitForFunction(() => document.querySelector("#count")?.textContent === "6" && document.querySelectorAll("#items li").length === 2, null, { timeout: 20_000 });
    const hellos = server.hellos.filter((h) => h.key === key);
    expect(hellos[0]!.since).toBeUndefined();
    expect(hellos.at(-1)!.since).toBe(1);
    expect(await page.getAttribute("#mount-0", "data-live-state")).toBe("open");
    await page.close();
  });

  it("buffers actions while offline and applies each once after reconnecting", async () => {
    const page = await open();
    server.setOffline(true);
    await page.waitForSelector('[data-live-state="offline"]');
    await page.click("#inc");
    await page.click("#inc");
    expect(await page.getAttribute("#mount-0", "class")).toContain("live-pending");
    expect(await page.getAttribute("#inc", "data-live-pending")).toBe("");
    server.setOffline(false);
    await page.waitForFunction(() => document.querySelector("#count")?.textContent === "2", null, { timeout: 20_000 });
    await page.waitForFunction(() => !document.querySelector("#mount-0")!.classList.contains("live-pending"));
    expect(server.instance(key).state.count).toBe(2);
    await page.close();
  });

  it("resends an action whose ack was lost with the same id, applied once", async () => {
    const page = await open();
    server.loseAcks(1);
    await page.click("#inc");
    await page.waitForFunction(() => !document.querySelector("#mount-0")!.classList.contains("live-pending"), null, { timeout: 20_000 });
    const sent = server.actions.filter((a) => a.key === key);
    expect(sent).toHaveLength(2);
    expect(sent[0]!.id).toBe(sent[1]!.id);
    expect(server.instance(key).state.count).toBe(1);
    expect(await count(page)).toBe("1");
    await page.close();
  });

  it("keeps typed text, focus and cursor while updates arrive", async () => {
    const page = await open();
    await page.click("#draft");
    await page.keyboard.type("hello world");
    await page.evaluate(() => (document.querySelector("#draft") as HTMLInputElement).setSelectionRange(5, 5));
    for (let i = 1; i <= 15; i++) {
      server.update(key, (s) => ({ ...s, count: i, draft: `server ${i}`, items: [{ id: 100 + i, text: `row ${i}` }, ...s.items] }));
      if (i % 5 === 0) await page.keyboard.type("!");
    }
    await page.waitForFunction(() => document.querySelector("#count")?.textContent === "15");
    const input = await page.evaluate(() => {
      const el = document.querySelector("#draft") as HTMLInputElement;
      return { value: el.value, start: el.selectionStart, end: el.selectionEnd, focused: document.activeElement === el };
    });
    expect(input).toEqual({ value: "hello!!! world", start: 8, end: 8, focused: true });
    // Blurred but typed into: the value is still the user's.
    await page.click("#count");
    server.update(key, (s) => ({ ...s, count: 16, draft: "server again" }));
    await page.waitForFunction(() => document.querySelector("#count")?.textContent === "16");
    expect(await page.inputValue("#draft")).toBe("hello!!! world");
    await page.close();
  });

  it("never executes script carried in state", async () => {
    const vectors = [
      "<script>window.__xss++</script>",
      "<img src=x onerror=window.__xss++>",
      '"><svg onload=window.__xss++>',
      "javascript:window.__xss++",
      "' onmouseover='window.__xss++",
      "</li><iframe srcdoc=\"<script>parent.__xss++</script>\"></iframe>",
    ];
    const page = await open();
    for (const [i, text] of vectors.entries()) server.update(key, (s) => ({ ...s, items: [...s.items, { id: 1000 + i, text }] }));
    await page.waitForFunction((n) => document.querySelectorAll("#items li").length === n, vectors.length + 1);
    await page.hover("#items li:last-child a");
    // Clicking would navigate away; the neutralised URL is what matters.
    expect(await page.getAttribute("#items li:nth-child(5) a", "href")).toBe("about:blank#blocked");
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as unknown as { __xss: number }).__xss)).toBe(0);
    expect(await page.evaluate(() => document.querySelectorAll("#items script, #items img, #items svg, #items iframe").length)).toBe(0);
    const texts = await page.$$eval("#items li a", (as) => as.map((a) => a.textContent));
    expect(texts.slice(1)).toEqual(vectors);
    // A fresh page load (server render) holds the same text, equally inert.
    const fresh = await open();
    expect(await fresh.$$eval("#items li a", (as) => as.map((a) => a.textContent))).toEqual(texts);
    expect(await fresh.evaluate(() => (window as unknown as { __xss: number }).__xss)).toBe(0);
    await page.close();
    await fresh.close();
  });
});
