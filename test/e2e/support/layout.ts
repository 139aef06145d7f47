import type { Page } from "playwright-core";

/** Elements wider than the viewport, and the page's scroll width: a layout that fits has no culprits. */
export async function overflow(page: Page): Promise<{ scroll: number; viewport: number; culprits: string[] }> {
  return page.evaluate(() => {
    const viewport = document.documentElement.clientWidth;
    const culprits = [...document.querySelectorAll("body *")]
      .filter((el) => el.getBoundingClientRect().right > viewport + 0.5)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}`);
    return { scroll: document.documentElement.scrollWidth, viewport, culprits };
  });
}
