/**
 * Finds a Chromium for the browser tests, so `npm test` needs nothing but
 * Node and npm. Tried in order: CHROMIUM_PATH; a system Chromium or Chrome
 * (common Linux paths, then Playwright's "chrome" channel, which knows where
 * macOS and Windows install it); then @sparticuz/chromium, a devDependency
 * that ships a headless Chromium inside the npm package for Linux x64.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { brotliDecompressSync } from "node:zlib";
import { chromium, type Browser, type LaunchOptions } from "playwright-core";

export interface BrowserChoice {
  /** What was used, for the test output. */
  label: string;
  executablePath?: string;
  channel?: string;
  /** Extra environment for the browser process. */
  env?: Record<string, string>;
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
    ...(choice.env ? { env: { ...process.env, ...choice.env } as Record<string, string> } : {}),
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
    return { label: `@sparticuz/chromium (npm package, ${path})`, executablePath: path, env: { LD_LIBRARY_PATH: sparticuzLibs() } };
  }
  tried.push(`@sparticuz/chromium (Linux x64 only; this is ${process.platform} ${process.arch})`);
  throw new Error(`No browser for the e2e tests. Tried: ${tried.join("; ")}. Install Chromium or Chrome, or set CHROMIUM_PATH.`);
}

/**
 * The shared libraries the package ships beside its binary (NSS, NSPR, expat):
 * a machine with only Node and npm may lack them, so they are always used.
 * @sparticuz/chromium unpacks them itself only on AWS Lambda.
 */
function sparticuzLibs(): string {
  const dir = join(tmpdir(), "stratus-e2e-chromium-libs");
  if (!existsSync(join(dir, "lib", "libnss3.so"))) {
    const pkg = join(dirname(createRequire(import.meta.url).resolve("@sparticuz/chromium")), "..", "..");
    mkdirSync(dir, { recursive: true });
    execFileSync("tar", ["-x", "-C", dir], { input: brotliDecompressSync(readFileSync(join(pkg, "bin", "al2023.tar.br"))) });
  }
  return join(dir, "lib");
}

export function launchBrowser(choice: BrowserChoice): Promise<Browser> {
  return chromium.launch(options(choice));
}
