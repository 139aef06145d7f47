import type { Page } from "playwright-core";
import { expect } from "vitest";

/** A real 1x1 PNG, padded after its IEND chunk (browsers still decode it) to the size asked for. */
export function png(size: number): Buffer {
  const image = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");
  return Buffer.concat([image, Buffer.alloc(Math.max(0, size - image.length), 7)]);
}

/** Records each value the `<progress>` at `selector` shows; `seen()` reads them back. */
export async function watchProgress(page: Page, selector: string): Promise<{ seen: () => Promise<number[]> }> {
  await page.evaluate((sel) => {
    const w = window as unknown as { progress: number[] };
    w.progress = [];
    const bar = document.querySelector(sel) as HTMLProgressElement;
    new MutationObserver(() => w.progress.push(bar.value)).observe(bar, { attributes: true, attributeFilter: ["value"] });
  }, selector);
  return { seen: () => page.evaluate(() => (window as unknown as { progress: number[] }).progress) };
}

/** Caps the page's upload at 1 MiB/s (so progress shows between a file's parts) until the returned function is called. */
export async function slowUploads(page: Page): Promise<() => Promise<void>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 1024 * 1024 });
  return async () => {
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  };
}

/** A progress bar that rose step by step to full: values in between were shown, never going back. */
export function expectRisingTo1(progress: number[]): void {
  expect(progress.at(-1)).toBe(1);
  expect(progress.some((v) => v > 0 && v < 1)).toBe(true);
  expect(progress).toEqual([...progress].sort((a, b) => a - b));
}
