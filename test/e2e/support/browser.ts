/**
 * Finds a Chromium for the browser tests, so `npm test` needs nothing but
 * Node and npm. Tried in order: CHROMIUM_PATH; a system Chromium or Chrome
 * (common Linux paths, then Playwright's "chrome" channel, which knows where
 * macOS and Windows install it); then @sparticuz/chromium, a devDependency
 * that ships a headless Chromium inside the npm package for Linux x64.
 */
import { existsSync } from "node:fs";
import { chromium, type Browser, type LaunchOptions } from "playwright-core";

export interface BrowserChoice {
  /** What was used, for the test output. */
  label: string;
  executablePath?: string;
  channel?: string;
}

const SYSTEM_PATHS = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/snap/bin/chromium",
  "/usr/bin/google-chrome",
  "/usr/bin/google-chrome-stable",
  "/opt/google/chrome/chrome",
];

/**
 * The network is closed here: no first-run, sync, update or QUIC traffic.
 * Playwright gives every launch a fresh temporary profile (--user-data-dir) itself.
 */
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

function options(choice: BrowserChoice): LaunchOptions {
  return {
    ...(choice.executablePath ? { executablePath: choice.executablePath } : {}),
    ...(choice.channel ? { channel: choice.channel } : {}),
    args: FLAGS,
  };
}

export async function findBrowser(env: NodeJS.ProcessEnv = process.env): Promise<BrowserChoice> {
  const tried: string[] = [];
  if (env.CHROMIUM_PATH) {
    if (!existsSync(env.CHROMIUM_PATH)) throw new Error(`CHROMIUM_PATH=${env.CHROMIUM_PATH} does not exist; unset it to let the tests find a browser.`);
    return { label: `CHROMIUM_PATH (${env.CHROMIUM_PATH})`, executablePath: env.CHROMIUM_PATH };
  }
  tried.push("CHROMIUM_PATH (unset)");
  for (const path of SYSTEM_PATHS) {
    if (existsSync(path)) return { label: `system browser (${path})`, executablePath: path };
  }
  tried.push(...SYSTEM_PATHS);
  // Chrome where Playwright knows it lives (macOS, Windows, /opt on Linux): only a launch can tell.
  try {
    const probe = await chromium.launch({ ...options({ label: "", channel: "chrome" }), timeout: 15_000 });
    await probe.close();
    return { label: 'system Chrome (Playwright channel "chrome")', channel: "chrome" };
  } catch {
    tried.push('Playwright channel "chrome"');
  }
  if (process.platform === "linux" && process.arch === "x64") {
    const { default: sparticuz } = await import("@sparticuz/chromium");
    // Decompresses once into the temp directory; later runs reuse it.
    const path = await sparticuz.executablePath();
    return { label: `@sparticuz/chromium (npm package, ${path})`, executablePath: path };
  }
  tried.push(`@sparticuz/chromium (Linux x64 only; this is ${process.platform} ${process.arch})`);
  throw new Error(`No browser for the e2e tests. Tried: ${tried.join("; ")}. Install Chromium or Chrome, or set CHROMIUM_PATH.`);
}

export function launchBrowser(choice: BrowserChoice): Promise<Browser> {
  return chromium.launch(options(choice));
}
