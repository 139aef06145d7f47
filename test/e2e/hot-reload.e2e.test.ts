/**
 * Editing while `wrangler dev` runs, in a scratch copy of the app: a component's view edit reaches
 * the open page without a navigation and keeps the component's state; a page edit makes the page
 * reload itself (the development reload signal, worker/dev/reload.ts) and keeps the state too.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { port } from "./support/ports";
import { useSession } from "./support/session";

const root = process.cwd();
const scratch = mkdtempSync(join(tmpdir(), "stratus-hot-"));
const SKIP = new Set(["node_modules", ".wrangler", ".git"]);
cpSync(root, scratch, { recursive: true, filter: (src) => !SKIP.has(relative(root, src).split("/")[0]!) });
symlinkSync(join(root, "node_modules"), join(scratch, "node_modules"), "dir");
// Registered before the session's hooks, so (they run last-in first-out) it runs after the server stopped.
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const session = useSession({ port: port(8851), inspectorPort: port(9351), cwd: () => scratch });

function edit(file: string, from: string, to: string): void {
  const path = join(scratch, file);
  const text = readFileSync(path, "utf8");
  if (!text.includes(from)) throw new Error(`${file} no longer contains ${JSON.stringify(from)}: update this test.`);
  writeFileSync(path, text.replace(from, to));
}

type Marked = Window & { marker?: string };
/** Generous upper bound for wrangler's rebuild and restart on a loaded 2-core machine (typically 1–2 s). */
const SHOWN_WITHIN = 10_000;

describe("editing while wrangler dev runs", () => {
  it("shows a component edit in place with its state, and reloads the page for a page edit", async () => {
    const page = await session.browser.newPage();
    await page.goto(`${session.dev.url}/demo/hot-${Date.now().toString(36)}`);
    await page.waitForSelector('#mount-0[data-live-state="open"]');
    await page.waitForFunction(() => [...window.Stratus.connections.values()][0]!.seq >= 0);
    // The development reload script is in the page and its stream has answered.
    await page.waitForFunction(() => document.documentElement.dataset.stratusBuild !== undefined);
    for (let i = 0; i < 3; i++) await page.click("#inc");
    await page.waitForFunction(() => document.querySelector("#count")?.textContent === "3");
    await page.evaluate(() => ((window as Marked).marker = "same page"));

    edit("components/demo/views.ts", "<p>Count: <output", "<p>Clicks so far: <output");
    await page.waitForFunction(() => document.querySelector(".demo p")?.textContent?.startsWith("Clicks so far:"), null, { timeout: SHOWN_WITHIN });
    // Same document (no navigation), same state: the object recovered its log and sent a full render.
    expect(await page.evaluate(() => (window as Marked).marker)).toBe("same page");
    expect(await page.evaluate(() => performance.getEntriesByType("navigation").length)).toBe(1);
    expect(await page.textContent("#count")).toBe("3");
    await page.click("#inc");
    await page.waitForFunction(() => document.querySelector("#count")?.textContent === "4");

    // Markup outside the mount has no socket to carry it: the page reloads itself.
    edit("components/demo/module.ts", "<body><h1>${title}</h1>", '<body><h1>${title}</h1><p id="edited">Edited page</p>');
    await page.waitForSelector("#edited", { timeout: SHOWN_WITHIN });
    expect(await page.evaluate(() => (window as Marked).marker)).toBeUndefined();
    await page.waitForSelector('#mount-0[data-live-state="open"]');
    expect(await page.textContent("#count")).toBe("4");
    expect(await page.textContent(".demo p")).toContain("Clicks so far:");
    await page.close();
  });
});
