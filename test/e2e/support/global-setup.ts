/**
 * Runs once around the whole browser-test run: picks the browser (and says
 * which) and, at the end, kills any server process group a test file left
 * behind (a thrown beforeAll, a crash) so no port stays taken.
 */
import type { TestProject } from "vitest/node";
import { findBrowser, type BrowserChoice } from "./browser";
import { killGroup, recorded, untrack } from "./processes";

declare module "vitest" {
  export interface ProvidedContext {
    browser: BrowserChoice;
  }
}

function sweep(): void {
  for (const pid of recorded()) {
    killGroup(pid);
    untrack(pid);
  }
}

export async function setup(project: TestProject): Promise<() => void> {
  sweep();
  const choice = await findBrowser();
  console.log(`e2e browser: ${choice.label}`);
  project.provide("browser", choice);
  return sweep;
}
