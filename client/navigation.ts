import { chunk } from "./lazy";

/**
 * `data-navigate` links and `navigate(url)`: the page swap itself
 * (client/chunks/navigate.ts) is loaded on demand, early when the page has
 * such links (while the browser is idle), so the first click does not wait.
 */
export function navigate(url: string): Promise<void> {
  return chunk("navigate").then(
    (n) => n.go(url),
    () => location.assign(url),
  );
}

addEventListener("popstate", (ev) => {
  const state = ev.state as { stratus?: string } | null;
  // Only entries the swap pushed; a hash change within the page is the browser's.
  if (state?.stratus !== undefined) void chunk("navigate").then((n) => n.pop(state as { stratus: string }), () => location.reload());
});

document.addEventListener("click", (ev) => {
  const a = (ev.target as Element | null)?.closest?.("a[href]");
  if (!(a instanceof HTMLAnchorElement) || ev.defaultPrevented || ev.button || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
  if (!a.closest("[data-navigate]") || a.closest('[data-navigate="false"]') || a.target || a.hasAttribute("download")) return;
  const to = new URL(a.href);
  if (to.origin !== location.origin || (to.hash && to.pathname + to.search === location.pathname + location.search)) return;
  ev.preventDefault();
  void navigate(to.href);
});

export function preloadNavigation(): void {
  if (document.querySelector("[data-navigate]")) (window.requestIdleCallback ?? setTimeout)(() => void chunk("navigate").catch(() => {}));
}
