/**
 * Shared set-up for a browser-test file: the browser chosen by the global
 * setup, and a `wrangler dev` of the app. Each piece is assigned as soon as it
 * exists, so afterAll stops what started even when another piece failed.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, inject } from "vitest";
import type { Browser } from "playwright-core";
import { launchBrowser } from "./browser";
import { startWranglerDev, type DevServer } from "./wrangler-dev";

export interface Session {
  browser: Browser;
  dev: DevServer;
}

export function useSession(opts: { port: number; inspectorPort: number; vars?: Record<string, string>; cwd?: () => string; migrate?: boolean; seed?: string }): Session {
  const session = {} as Session;
  const persist = mkdtempSync(join(tmpdir(), "stratus-e2e-"));
  beforeAll(async () => {
    session.dev = await startWranglerDev({ port: opts.port, inspectorPort: opts.inspectorPort, persistTo: persist, ...(opts.cwd ? { cwd: opts.cwd() } : {}), ...(opts.vars ? { vars: opts.vars } : {}), ...(opts.migrate ? { migrate: true } : {}), ...(opts.seed ? { seed: opts.seed } : {}) });
    session.browser = await launchBrowser(inject("browser"));
  });
  afterAll(async () => {
    await session.browser?.close().catch(() => {});
    await session.dev?.stop();
    rmSync(persist, { recursive: true, force: true });
  });
  return session;
}
