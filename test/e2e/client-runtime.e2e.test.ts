/**
 * The browser runtime in headless Chromium against the real app under
 * `wrangler dev` (the demo component at /demo/<key>), through a fault proxy
 * (support/fault-proxy.ts) that stages outages, lost acks and frames the
 * runtime cannot apply. Tokens live 10 s here, so every test also runs
 * across token refreshes.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { signMountToken } from "../../durable-objects/realtime/mount-token";
import { startFaultProxy, type FaultProxy } from "./support/fault-proxy";
import { port } from "./support/ports";
import { useSession } from "./support/session";

const PORT = port(8845);
const PROXY_PORT = port(8846);
const APP_KEY = "e2e-app-key-0123456789abcdef0123456789abcdef";
const PROXY = `http://localhost:${PROXY_PORT}`;
const session = useSession({ port: PORT, inspectorPort: port(9345), vars: { LIVE_TOKEN_TTL: "10", CORS_ORIGINS: `http://localhost:${PORT},${PROXY}` } });
let proxy: FaultProxy;
let key: string;
let n = 0;

beforeAll(async () => {
  proxy = await startFaultProxy(PROXY_PORT, session.dev.url);
});
afterAll(async () => {
  await proxy?.close();
});
beforeEach(() => {
  key = `rt-${Date.now().toString(36)}-${++n}`;
  proxy.rewrite = undefined;
});

async function open(base = PROXY): Promise<Page> {
  const page = await session.browser.newPage();
  page.on("dialog", (d) => void d.dismiss());
  await page.goto(`${base}/demo/${key}`);
  await page.waitForSelector('#mount-0[data-live-state="open"]');
  await page.waitForFunction(() => [...window.Stratus.connections.values()][0]!.seq >= 0);
  return page;
}

const countIs = (p: Page, v: number, timeout = 15_000) => p.waitForFunction((v) => document.querySelector("#mount-0 #count")?.textContent === String(v), v, { timeout });
const notPending = (p: Page) => p.waitForFunction(() => !document.querySelector("#mount-0")!.classList.contains("live-pending"), null, { timeout: 20_000 });
const hellos = () => proxy.sent.filter((s) => s.key === key && s.frame.type === "hello").map((s) => s.frame);
const actions = () => proxy.sent.filter((s) => s.key === key && s.frame.type === "action").map((s) => s.frame as { id: string; name: string });

/** The count a fresh server render shows: what the object committed. */
async function committedCount(): Promise<string | undefined> {
  const html = await (await fetch(`${session.dev.url}/demo/${key}`)).text();
  return /<output id="count">(\d+)<\/output>/.exec(html)?.[1];
}

/** Records the runtime's events on the document. */
const recordEvents = (p: Page) =>
  p.evaluate(() => {
    const w = window as unknown as { events: { type: string; detail: unknown; target: string }[] };
    w.events = [];
    for (const type of ["stratus:ack", "stratus:error", "stratus:expired"]) {
      document.addEventListener(type, (e) => w.events.push({ type, detail: (e as CustomEvent).detail, target: (e.target as Element).id || (e.target as Element).tagName }));
    }
  });
const events = (p: Page) => p.evaluate(() => (window as unknown as { events: { type: string; detail: Record<string, unknown>; target: string }[] }).events);

describe("browser runtime against the real component server", () => {
  it("shows the server render before the socket opens, then goes live", async () => {
    const page = await session.browser.newPage();
    await page.route("**/stratus/client.js", (r) => r.abort());
    await page.goto(`${PROXY}/demo/${key}`);
    expect(await page.textContent("#count")).toBe("0");
    expect(await page.getAttribute("#mount-0", "data-live-state")).toBe("connecting");
    await page.close();
    const live = await open();
    expect(await live.getAttribute("#mount-0", "data-live-seq")).toBe("0");
    await live.close();
  });

  it("sends data-action clicks and form fields as actions, and shows them in another page", async () => {
    const a = await open();
    const b = await open();
    await a.click("#inc");
    await a.fill("#draft", "hello");
    await a.click("#add button");
    await b.waitForSelector("#items li >> text=hello");
    await countIs(b, 1);
    expect(actions().map((x) => x.name)).toEqual(["increment", "add"]);
    await a.close();
    await b.close();
  });

  it("submits the same way with Enter and with the button: the field clears and stratus:ack carries the id", async () => {
    const a = await open();
    await recordEvents(a);
    await a.fill("#draft", "by enter");
    await a.press("#draft", "Enter");
    await a.waitForSelector("#items li >> text=by enter");
    await a.waitForFunction(() => (document.querySelector("#draft") as HTMLInputElement).value === "");
    // The field is still focused: Enter kept the focus where a click moves it.
    expect(await a.evaluate(() => document.activeElement?.id)).toBe("draft");
    await a.fill("#draft", "by click");
    await a.click("#add button");
    await a.waitForSelector("#items li >> text=by click");
    await a.waitForFunction(() => (document.querySelector("#draft") as HTMLInputElement).value === "");
    await notPending(a);
    // The draft is a bound field: its syncs are acked too (as "model"); these are the submissions'.
    const acks = (await events(a)).filter((e) => e.type === "stratus:ack" && e.detail.name !== "model");
    const sent = actions();
    expect(acks.map((e) => e.detail)).toEqual([
      { id: sent[0]!.id, name: "add", seq: 1 },
      { id: sent[1]!.id, name: "add", seq: 2 },
    ]);
    expect(acks.map((e) => e.target)).toEqual(["add", "add"]);
    await a.close();
  });

  it("keeps text typed after a submission until that text is submitted", async () => {
    const a = await open();
    const b = await open();
    await a.fill("#draft", "first");
    await a.press("#draft", "Enter");
    await a.waitForFunction(() => (document.querySelector("#draft") as HTMLInputElement).value === "");
    await a.keyboard.type("second draft");
    await b.click("#inc");
    await countIs(a, 1);
    expect(await a.inputValue("#draft")).toBe("second draft");
    await a.close();
    await b.close();
  });

  it("shows the checked state the server renders in the tab that clicked a data-action checkbox", async () => {
    const a = await open();
    const b = await open();
    await a.fill("#draft", "task");
    await a.press("#draft", "Enter");
    await a.waitForSelector("#items li .done");
    const checked = (p: Page) => p.$eval("#items li .done", (el) => (el as HTMLInputElement).checked);
    for (const want of [true, false, true]) {
      await a.click("#items li .done");
      await b.waitForFunction((w) => (document.querySelector("#items li .done") as HTMLInputElement).checked === w, want);
      await notPending(a);
      expect(await checked(a)).toBe(want);
      expect(await a.$eval("#items li .done", (el) => el.hasAttribute("checked"))).toBe(want);
    }
    await a.close();
    await b.close();
  });

  it("reconnects after an outage and catches up with since, epoch and rid in its hello", async () => {
    // Stamp an epoch and render identity on the real server's frames, as a server that sends them does.
    proxy.rewrite = (f) => (f.type === "render" || f.type === "diff" ? { ...f, epoch: "e1", rid: "r1" } : f);
    const a = await open();
    const b = await open(session.dev.url);
    await a.click("#inc");
    await countIs(a, 1);
    proxy.setOffline(true);
    await a.waitForSelector('#mount-0[data-live-state="offline"]');
    await b.click("#inc");
    await b.click("#inc");
    await countIs(b, 3);
    proxy.setOffline(false);
    await countIs(a, 3, 20_000);
    const h = hellos();
    // The client id stays the page's across reconnects: the server scopes anonymous action ids by it.
    expect(h[0]).toEqual({ type: "hello", v: 1, client: expect.stringMatching(/^[\w-]{16,128}$/) });
    expect(h.at(-1)).toEqual({ type: "hello", v: 1, since: 1, epoch: "e1", rid: "r1", client: h[0]!.client });
    await a.close();
    await b.close();
  });

  it("buffers actions while offline and applies each once after reconnecting", async () => {
    const page = await open();
    proxy.setOffline(true);
    await page.waitForSelector('[data-live-state="offline"]');
    await page.click("#inc");
    await page.click("#inc");
    expect(await page.getAttribute("#mount-0", "class")).toContain("live-pending");
    expect(await page.getAttribute("#inc", "data-live-pending")).toBe("");
    proxy.setOffline(false);
    await countIs(page, 2, 20_000);
    await notPending(page);
    expect(await committedCount()).toBe("2");
    await page.close();
  });

  it("resends an action whose ack was lost with the same id, applied once", async () => {
    const page = await open();
    proxy.loseAcks(1);
    await page.click("#inc");
    await notPending(page);
    const sent = actions();
    expect(sent).toHaveLength(2);
    expect(sent[0]!.id).toBe(sent[1]!.id);
    expect(await committedCount()).toBe("1");
    await countIs(page, 1);
    await page.close();
  });

  it("resyncs with a full render when a diff cannot be applied, and stays live", async () => {
    const page = await open();
    const broken: ((f: Record<string, unknown>) => Record<string, unknown>)[] = [
      (f) => ({ ...f, from: (f.from as number) + 5 }), // does not follow what is shown
      (f) => ({ ...f, changes: { d: { 0: { s: "no-such-statics", d: [] } } } }), // unknown statics id
      (f) => ({ ...f, epoch: "another-log" }), // another event log
    ];
    for (const [i, breakIt] of broken.entries()) {
      let once = true;
      proxy.rewrite = (f) => (f.type === "diff" && once ? ((once = false), breakIt(f) as typeof f) : f);
      const before = hellos().length;
      await page.click("#inc");
      // A hello without since: the runtime dropped its cursor and asked for everything.
      await page.waitForFunction(() => document.querySelector("#mount-0")?.getAttribute("data-live-state") === "open");
      await expect.poll(() => hellos().length, { timeout: 15_000 }).toBeGreaterThan(before);
      expect(hellos().at(-1)).toEqual({ type: "hello", v: 1, client: expect.any(String) });
      await countIs(page, i + 1);
    }
    proxy.rewrite = undefined;
    await page.click("#inc");
    await countIs(page, 4);
    expect(await committedCount()).toBe("4");
    await page.close();
  });

  it("shows each state once when frames arrive twice", async () => {
    proxy.rewrite = (f) => (f.type === "diff" || f.type === "ack" ? [f, f] : f);
    const page = await open();
    await recordEvents(page);
    for (let i = 1; i <= 3; i++) await page.click("#inc");
    await countIs(page, 3);
    await notPending(page);
    // A duplicate diff is already shown (no resync: still the first hello), a duplicate ack settles nothing new.
    expect(hellos()).toHaveLength(1);
    expect((await events(page)).filter((e) => e.type === "stratus:ack")).toHaveLength(3);
    await page.close();
  });

  it("refuses an action over 64 KiB without sending it, and drops one the server answers with an error", async () => {
    const page = await open();
    await recordEvents(page);
    await page.fill("#draft", "x".repeat(70 * 1024));
    await page.press("#draft", "Enter");
    type Recorded = { events: { type: string; detail: { name?: string } }[] };
    // The draft is bound: its sync of the same text is refused the same way, before sending.
    await page.waitForFunction(() => (window as unknown as Recorded).events.length === 2);
    const refusedLocally = (await events(page)).map((e) => e.detail);
    expect(refusedLocally).toHaveLength(2);
    expect(refusedLocally).toEqual(expect.arrayContaining([expect.objectContaining({ code: "too_large", name: "model" }), expect.objectContaining({ code: "too_large", name: "add" })]));
    expect(actions()).toHaveLength(0);
    expect(proxy.sent.filter((s) => s.key === key && s.frame.type === "model")).toHaveLength(0);
    // The server refuses by={2000}: its error names the action, which leaves the outbox for good.
    await page.evaluate(() => document.querySelector("#inc")!.setAttribute("data-by", "2000"));
    await page.click("#inc");
    await page.waitForFunction(() => (window as unknown as Recorded).events.length === 3);
    const [, , refused] = await events(page);
    expect(refused!.detail).toMatchObject({ id: actions()[0]!.id, name: "increment", code: "invalid_args" });
    await notPending(page);
    proxy.dropSockets();
    await page.waitForSelector('#mount-0[data-live-state="offline"]');
    await page.waitForSelector('#mount-0[data-live-state="open"]', { timeout: 15_000 });
    await page.evaluate(() => document.querySelector("#inc")!.setAttribute("data-by", "1"));
    await page.click("#inc");
    await countIs(page, 1);
    // Neither was resent after the reconnect.
    expect(actions().map((a) => a.name)).toEqual(["increment", "increment"]);
    await page.close();
  });

  it("closes the socket when the last mount leaves the page, and connects mounts added later", async () => {
    const page = await open();
    const other = await open(session.dev.url);
    expect(proxy.open(key)).toBe(1);
    await page.evaluate(() => {
      const w = window as unknown as { removed: Element };
      w.removed = document.querySelector("#mount-0")!;
      w.removed.remove();
    });
    await expect.poll(() => proxy.open(key)).toBe(0);
    await other.click("#inc");
    await countIs(other, 1);
    // Not repainted once off the page.
    expect(await page.evaluate(() => (window as unknown as { removed: Element }).removed.querySelector("#count")!.textContent)).toBe("0");
    // A mount rendered elsewhere (e.g. fetched HTML) goes live when inserted; two of the same instance share one socket.
    await page.evaluate(async (k) => {
      const html = await (await fetch(`/demo/${k}`)).text();
      const doc = new DOMParser().parseFromString(html, "text/html");
      const a = doc.querySelector("#mount-0")!;
      const b = a.cloneNode(true) as Element;
      b.id = "mount-1";
      document.body.append(a, b);
    }, key);
    await page.waitForSelector('#mount-1[data-live-state="open"]');
    expect(proxy.open(key)).toBe(1);
    await page.click("#mount-1 #inc");
    await countIs(page, 2);
    await other.waitForFunction(() => document.querySelector("#count")?.textContent === "2");
    await page.close();
    await other.close();
  });

  it("refreshes its mount token before expiry, keeping offline actions across it", async () => {
    const page = await open();
    const first = await page.evaluate(() => (window.Stratus.connections.values().next().value as unknown as { token: string }).token);
    // The tokens live 10 s: the runtime renews at 8 s.
    await page.waitForFunction((t) => (window.Stratus.connections.values().next().value as unknown as { token: string }).token !== t, first, { timeout: 12_000 });
    proxy.setOffline(true);
    await page.waitForSelector('[data-live-state="offline"]');
    await page.click("#inc");
    await page.click("#inc");
    // Offline past the renewed token's expiry: reconnecting needs a refresh through the grace period first.
    const current = await page.evaluate(() => (window.Stratus.connections.values().next().value as unknown as { token: string }).token);
    const exp = JSON.parse(Buffer.from(current.split(".")[0]!, "base64url").toString()).exp * 1000;
    await new Promise((r) => setTimeout(r, Math.max(0, exp - Date.now() + 500)));
    const refreshes = proxy.refreshes;
    proxy.setOffline(false);
    await countIs(page, 2, 20_000);
    await notPending(page);
    expect(proxy.refreshes).toBeGreaterThan(refreshes);
    expect(await committedCount()).toBe("2");
    await page.close();
  });

  it("says stratus:expired when the server will not renew its token (a user-bound token, no sign-in)", async () => {
    const page = await open();
    await recordEvents(page);
    // Bound to a user this page is not signed in as: the socket is refused and so is every renewal.
    const token = await signMountToken(APP_KEY, { component: "demo", key: `${key}-user`, user: "ada", ttlSeconds: 10 });
    await page.evaluate((t) => {
      const m = document.querySelector("#mount-0")!.cloneNode(true) as HTMLElement;
      m.id = "mount-user";
      m.dataset.liveKey = t.key;
      m.dataset.liveToken = t.token;
      document.body.append(m);
    }, { key: `${key}-user`, token });
    proxy.dropSockets();
    await page.waitForSelector('#mount-user[data-live-state="expired"]', { timeout: 25_000 });
    expect((await events(page)).map((e) => e.type)).toContain("stratus:expired");
    // The anonymous mount on the same page renewed and reconnected.
    await page.waitForSelector('#mount-0[data-live-state="open"]', { timeout: 15_000 });
    await page.close();
  });
});

declare global {
  interface Window {
    Stratus: { connections: Map<string, { seq: number }> };
  }
}
