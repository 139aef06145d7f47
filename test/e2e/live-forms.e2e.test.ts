/**
 * The forms demo (/forms/<key>, components/forms) in Chromium against
 * wrangler dev: bound fields and per-viewer drafts, validation while typing,
 * loading and dirty states, effects and a client hook.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { startFaultProxy, type FaultProxy } from "./support/fault-proxy";
import { port } from "./support/ports";
import { useSession } from "./support/session";

const PORT = port(8853);
const PROXY_PORT = port(8854);
const session = useSession({ port: PORT, inspectorPort: port(9353), vars: { CORS_ORIGINS: `http://localhost:${PORT},http://localhost:${PROXY_PORT}` } });
/** Pages that need their socket dropped load through this proxy. */
let proxy: FaultProxy;
beforeAll(async () => {
  proxy = await startFaultProxy(PROXY_PORT, session.dev.url);
});
afterAll(async () => {
  await proxy?.close();
});
let n = 0;
const key = () => `forms-${Date.now().toString(36)}-${++n}`;

type Frame = { type: string; id?: string; name?: string; fields?: Record<string, unknown>; validate?: boolean; args?: Record<string, unknown> };

async function open(k: string, base = session.dev.url): Promise<{ p: Page; sent: Frame[] }> {
  const p = await session.browser.newPage();
  const sent: Frame[] = [];
  p.on("websocket", (ws) => {
    if (ws.url().includes("/live/profiles/")) ws.on("framesent", (f) => sent.push(JSON.parse(String(f.payload)) as Frame));
  });
  await p.goto(`${base}/forms/${k}`);
  await p.waitForSelector('#form-mount[data-live-state="open"]');
  await p.waitForFunction(() => [...window.Stratus.connections.values()].every((c) => c.seq >= 0));
  return { p, sent };
}

const models = (sent: Frame[]) => sent.filter((f) => f.type === "model");
const textOf = (p: Page, sel: string) => p.evaluate((s) => document.querySelector(s)?.textContent?.trim() ?? null, sel);
/** Every edit (but those of lazy fields, which wait for the next action) is acknowledged by the server. */
const acked = (p: Page) => p.waitForFunction(() => !document.querySelector('#form-mount [data-modified]:not([data-model-on="lazy"])'), null, { timeout: 15_000 });

async function fillValid(p: Page, name = "Alice") {
  await p.fill("#name", name);
  await p.fill("#email", `${name.toLowerCase()}@example.com`);
  await p.check('#plan input[value="pro"]');
  await acked(p);
}

describe("bound fields and per-viewer drafts", () => {
  it("keeps each viewer's draft its own, and shows a saved profile to both", async () => {
    const k = key();
    const a = await open(k);
    const b = await open(k);
    await a.p.type("#name", "Alice");
    await b.p.type("#name", "Bob");
    await acked(a.p);
    await acked(b.p);
    // Each sync went to the server (acked) and came back in that viewer's own render only.
    expect(await a.p.inputValue("#name")).toBe("Alice");
    expect(await b.p.inputValue("#name")).toBe("Bob");
    // A fresh page is a new viewer: an empty draft.
    const c = await open(k);
    expect(await c.p.inputValue("#name")).toBe("");
    await a.p.fill("#email", "alice@example.com");
    await a.p.check('#plan input[value="free"]');
    await a.p.click("#save");
    await b.p.waitForSelector("#profiles li >> text=Alice");
    await c.p.waitForSelector("#profiles li >> text=Alice");
    // The saver's form is reset by the server; the other draft is untouched.
    await a.p.waitForFunction(() => (document.querySelector("#name") as HTMLInputElement).value === "");
    expect(await b.p.inputValue("#name")).toBe("Bob");
    expect(await textOf(a.p, "#saved")).toBe("1");
    expect(await textOf(b.p, "#saved")).toBe("0");
    for (const x of [a, b, c]) await x.p.close();
  });

  it("sends each kind of field with its type, when its modifier says", async () => {
    const { p, sent } = await open(key(), proxy.url);
    await p.type("#name", "Ann");
    await acked(p);
    // live + 150 ms debounce: typing three letters quickly is one sync (or very few), never one per key with a stale value.
    const nameSyncs = models(sent).filter((f) => "name" in f.fields!);
    expect(nameSyncs.at(-1)!.fields).toEqual({ name: "Ann" });
    expect(nameSyncs.length).toBeLessThan(3);
    expect(nameSyncs.every((f) => f.validate === true)).toBe(true);
    // blur: nothing while typing, one sync on leaving.
    await p.type("#email", "ann@example.com");
    await p.waitForTimeout(400);
    expect(models(sent).some((f) => "email" in f.fields!)).toBe(false);
    await p.press("#email", "Tab");
    await acked(p);
    expect(models(sent).filter((f) => "email" in f.fields!).map((f) => f.fields)).toEqual([{ email: "ann@example.com" }]);
    await p.fill("#age", "42");
    await p.fill("#birthday", "2001-02-03");
    await p.check('#plan input[value="pro"]');
    await p.check('#topics input[value="news"]');
    await p.check('#topics input[value="art"]');
    await p.selectOption("#languages", ["fr", "ja"]);
    await p.check("#newsletter");
    await acked(p);
    const last = (field: string) => models(sent).filter((f) => field in f.fields!).at(-1)?.fields![field];
    expect(last("age")).toBe(42);
    expect(last("birthday")).toBe("2001-02-03");
    expect(last("plan")).toBe("pro");
    expect(last("topics")).toEqual(["news", "art"]);
    expect(last("languages")).toEqual(["fr", "ja"]);
    expect(last("newsletter")).toBe(true);
    await p.fill("#age", "");
    await acked(p);
    expect(last("age")).toBeNull();
    // The server rendered them back into this viewer's fields: after a drop, the resumed socket shows the same draft.
    const seq = await p.getAttribute("#form-mount", "data-live-seq");
    const hellos = () => sent.filter((f) => f.type === "hello").length;
    const before = hellos();
    proxy.dropSockets();
    await expect.poll(hellos, { timeout: 15_000 }).toBeGreaterThan(before);
    await p.waitForSelector('#form-mount[data-live-state="open"]');
    expect(await p.getAttribute("#form-mount", "data-live-seq")).toBe(seq);
    expect(await p.inputValue("#name")).toBe("Ann");
    expect(await p.isChecked('#topics input[value="art"]')).toBe(true);
    expect(await p.isChecked('#plan input[value="pro"]')).toBe(true);
    await p.close();
  });

  it("never overwrites what is being typed with a render that arrives meanwhile", async () => {
    const k = key();
    const a = await open(k);
    const b = await open(k);
    await fillValid(b.p, "Bea");
    await a.p.click("#name");
    // Slow typing: each keystroke's sync is acked while later keys are typed, and b's saves arrive meanwhile.
    const typing = a.p.type("#name", "Concurrent typing", { delay: 40 });
    for (let i = 0; i < 3; i++) {
      await b.p.click("#save");
      await b.p.waitForSelector(`#profiles li >> text=${i === 0 ? "Bea" : `Bea${i - 1}`}`);
      await b.p.waitForSelector("#save:not([disabled])");
      await fillValid(b.p, `Bea${i}`);
    }
    await typing;
    await acked(a.p);
    const state = await a.p.evaluate(() => {
      const el = document.querySelector("#name") as HTMLInputElement;
      return { value: el.value, caret: el.selectionStart, focused: document.activeElement === el };
    });
    expect(state).toEqual({ value: "Concurrent typing", caret: 17, focused: true });
    expect(await a.p.locator("#profiles li").count()).toBeGreaterThanOrEqual(1);
    await a.p.close();
    await b.p.close();
  });

  it("keeps a lazy field in the page until the next action, then sends it just before that action", async () => {
    const { p, sent } = await open(key());
    await p.fill("#bio", "Likes trains");
    await p.press("#bio", "Tab");
    await p.waitForTimeout(300);
    expect(models(sent).some((f) => "bio" in f.fields!)).toBe(false);
    await fillValid(p, "Liz");
    await p.click("#save");
    await p.waitForSelector("#profiles li >> text=Likes trains");
    const i = sent.findIndex((f) => f.type === "action" && f.name === "save");
    expect(sent[i - 1]).toMatchObject({ type: "model", fields: { bio: "Likes trains" } });
    await p.close();
  });
});

describe("validation while typing", () => {
  it("renders each field's errors as it syncs, and the whole form's on submit", async () => {
    const { p, sent } = await open(key());
    await p.type("#name", "A");
    await p.waitForFunction(() => document.querySelector("#name-error")?.textContent === "At least 2 characters.");
    // Fields the user has not reached show nothing yet.
    expect(await textOf(p, "#email-error")).toBe("");
    await p.type("#name", "l");
    await p.waitForFunction(() => document.querySelector("#name-error")?.textContent === "");
    await p.type("#email", "not-an-email");
    expect(await textOf(p, "#email-error")).toBe("");
    await p.press("#email", "Tab");
    await p.waitForFunction(() => document.querySelector("#email-error")?.textContent === "Enter a valid email address.");
    await p.fill("#age", "5");
    await p.waitForFunction(() => document.querySelector("#age-error")?.textContent === "You must be 13 or older.");
    // Submit: the whole form is validated; the plan nobody chose now shows its error too.
    const errors: unknown[] = [];
    await p.exposeFunction("recordError", (d: unknown) => errors.push(d));
    await p.evaluate(() => document.addEventListener("stratus:error", (e) => (window as unknown as { recordError(d: unknown): void }).recordError((e as CustomEvent).detail)));
    await p.click("#save");
    await p.waitForFunction(() => document.querySelector("#plan-error")?.textContent === "Choose a plan.");
    await expect.poll(() => errors.some((e) => (e as { name: string; code: string }).name === "save" && (e as { code: string }).code === "invalid_args")).toBe(true);
    expect(sent.filter((f) => f.type === "action").map((f) => f.name)).toEqual(["save"]);
    await p.close();
  });
});

describe("loading and dirty states", () => {
  it("shows data-loading and disables the submit while pending; data-dirty until the server has the edits", async () => {
    const { p } = await open(key());
    expect(await p.isVisible("#saving")).toBe(false);
    expect(await p.isVisible("#unsaved")).toBe(false);
    await p.type("#name", "Dee");
    // Dirty from the first keystroke until its sync is acknowledged.
    expect(await p.isVisible("#unsaved")).toBe(true);
    expect(await p.getAttribute("#name", "data-modified")).toBe("");
    await acked(p);
    expect(await p.isVisible("#unsaved")).toBe(false);
    await fillValid(p, "Dee");
    await p.click("#save");
    // The save handler takes 400 ms: pending is visible, scoped loading for other actions is not.
    await p.waitForSelector("#saving", { state: "visible" });
    expect(await p.isDisabled("#save")).toBe(true);
    expect(await p.getAttribute("#form-mount", "aria-busy")).toBe("true");
    expect(await p.evaluate(() => document.querySelector("#form-mount")!.classList.contains("live-pending"))).toBe(true);
    expect(await p.isVisible("#moving")).toBe(false);
    await p.waitForSelector("#saving", { state: "hidden" });
    expect(await p.isDisabled("#save")).toBe(false);
    expect(await p.getAttribute("#form-mount", "aria-busy")).toBe("false");
    await p.close();
  });
});

describe("scoped loading", () => {
  it("shows data-loading=\"#id\" only while an action sent from that element is pending", async () => {
    const { p } = await open(key(), proxy.url);
    await p.waitForSelector("#hook-ping");
    // The server's answer to the ping is held back: it stays pending.
    proxy.rewrite = (f) => (f.type === "ack" || f.type === "diff" || f.type === "effect" ? null : f);
    await p.click("#hook-ping");
    await p.waitForSelector("#pinging", { state: "visible" });
    expect(await p.isVisible("#saving")).toBe(false);
    expect(await p.isVisible("#moving")).toBe(false);
    proxy.rewrite = undefined;
    await p.close();
  });
});

describe("effects and hooks", () => {
  it("flashes a message and dispatches the pushed browser event after a save", async () => {
    const { p } = await open(key());
    await p.evaluate(() => {
      const w = window as unknown as { saved: unknown[] };
      w.saved = [];
      addEventListener("profile-saved", (e) => w.saved.push((e as CustomEvent).detail));
    });
    await fillValid(p, "Eve");
    await p.click("#save");
    await p.waitForSelector('#flash [data-level="success"] >> text=Saved Eve.');
    expect(await p.getAttribute('#flash [data-level="success"]', "role")).toBe("status");
    await expect.poll(() => p.evaluate(() => (window as unknown as { saved: unknown[] }).saved)).toEqual([{ count: 1 }]);
    await p.close();
  });

  it("navigate() swaps to another page keeping the shared counter's socket; redirect() loads the page", async () => {
    const k = key();
    const { p } = await open(k);
    const sockets: string[] = [];
    p.on("websocket", (ws) => sockets.push(ws.url()));
    await p.click("#shared button");
    await p.waitForFunction(() => document.querySelector("#shared button")?.textContent === "1");
    await p.evaluate(() => ((document.querySelector("#shared") as HTMLElement & { marker?: number }).marker = 5));
    await p.click("#go");
    await p.waitForSelector("#page-name >> text=Page one");
    expect(new URL(p.url()).pathname).toBe(`/forms/${k}/pages/one`);
    expect(await p.evaluate(() => (document.querySelector("#shared") as HTMLElement & { marker?: number }).marker)).toBe(5);
    expect(sockets).toEqual([]);
    // The profile form's socket closed with its mount; the hook on it was destroyed.
    await p.waitForFunction(() => window.Stratus.connections.size === 1);
    expect(await p.evaluate(() => (window as unknown as { hookLog: string[] }).hookLog.at(-1))).toBe("destroyed");
    await p.click("#nav-form");
    await p.waitForSelector('#form-mount[data-live-state="open"]');
    await p.evaluate(() => ((window as unknown as { marker: number }).marker = 1));
    await p.click("#leave");
    await p.waitForSelector("#page-name >> text=Page two");
    expect(await p.evaluate(() => (window as unknown as { marker?: number }).marker)).toBeUndefined();
    await p.close();
  });

  it("runs a hook: mounted, pushEvent, handleEvent for pushed events, updated, and its data-ignore area survives renders", async () => {
    const k = key();
    const { p } = await open(k);
    await p.waitForSelector("#hook-ping");
    expect(await p.evaluate(() => (window as unknown as { hookLog: string[] }).hookLog)).toEqual(["mounted"]);
    await p.click("#hook-ping");
    await p.waitForSelector("#hook-last >> text=pong 1");
    await p.waitForFunction(() => document.querySelector("#ping-count")?.textContent === "1");
    await p.click("#hook-ping");
    await p.waitForSelector("#hook-last >> text=pong 2");
    const log = await p.evaluate(() => (window as unknown as { hookLog: string[] }).hookLog);
    expect(log.filter((l) => l.startsWith("pong"))).toEqual(["pong:1", "pong:2"]);
    expect(log).toContain("updated:2");
    expect(log.filter((l) => l === "mounted")).toHaveLength(1);
    // Another viewer's render reached this page too; the hook's own DOM is still there, its bar drawn from data-pings.
    expect(await p.evaluate(() => (document.querySelector("#hook-bars") as HTMLElement).style.width)).toBe("10%");
    await p.close();
  });
});

describe("child components", () => {
  it("render the parent's props, keep each viewer's own child state, and send events up to the parent", async () => {
    const k = key();
    const a = await open(k);
    const b = await open(k);
    await a.p.click('#stars-design [data-stars="4"]');
    // The parent committed the vote: both viewers see it through the child's props.
    for (const x of [a, b]) await x.p.waitForSelector("#stars-design .summary >> text=1 vote(s), average 4.0");
    // The child's viewer state is a's own.
    expect(await textOf(a.p, "#stars-design .mine")).toBe("your vote: 4");
    expect(await textOf(b.p, "#stars-design .mine")).toBe("you have not voted");
    await b.p.click('#stars-design [data-stars="2"]');
    for (const x of [a, b]) await x.p.waitForSelector("#stars-design .summary >> text=2 vote(s), average 3.0");
    expect(await textOf(b.p, "#stars-design .mine")).toBe("your vote: 2");
    expect(await textOf(a.p, "#stars-design .mine")).toBe("your vote: 4");
    // Another child of the same kind has its own props and state.
    expect(await textOf(a.p, "#stars-speed .summary")).toBe("0 vote(s), average –");
    expect(await textOf(a.p, "#stars-speed .mine")).toBe("you have not voted");
    // No socket of their own: the page has the profile form's and the shared counter's.
    expect(await a.p.evaluate(() => window.Stratus.connections.size)).toBe(2);
    await a.p.close();
    await b.p.close();
  });
});

declare global {
  interface Window {
    Stratus: { connections: Map<string, { seq: number }> };
  }
}
