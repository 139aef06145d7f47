import { register } from "../lazy";

/**
 * Page navigation without a reload: fetch the page, swap the body, keep every
 * live mount that is on both pages (same component and key) as it is, socket
 * and DOM, push history, restore scroll on back/forward. Links opt in with
 * `data-navigate` (on the link or an ancestor); without JavaScript they are
 * plain links. While loading, `<html data-navigating>` is set and
 * `#stratus-progress` (a bar the runtime adds) grows. Loaded on demand by
 * client/navigation.ts.
 */
const scrolls = new Map<string, [number, number]>();
let entry = String(history.state?.stratus ?? Math.random());
let latest = 0;
let bar: HTMLElement | undefined;

history.scrollRestoration = "manual";
history.replaceState({ ...history.state, stratus: entry }, "");

function progress(on: boolean): void {
  document.documentElement.toggleAttribute("data-navigating", on);
  if (!bar) {
    bar = document.createElement("div");
    bar.id = "stratus-progress";
    bar.style.cssText = "position:fixed;top:0;left:0;height:3px;background:#29d;z-index:2147483647";
    document.documentElement.append(bar);
  }
  const style = bar.style;
  if (on) {
    style.transition = "none";
    style.width = "0";
    void bar.offsetWidth; // starts the growth from zero
  }
  style.transition = on ? "width 3s ease-out" : "width .2s,opacity .4s";
  style.opacity = on ? "1" : "0";
  style.width = on ? "80%" : "100%";
}

const identity = (el: Element) => `${el.getAttribute("data-live")}\u0000${el.getAttribute("data-live-key")}`;

/** Puts the fetched page in place; script elements are recreated so that they run, as on a page load. */
function swap(doc: Document): void {
  document.title = doc.title;
  for (const el of Array.from(doc.head.querySelectorAll("link[rel=stylesheet],style"))) {
    if (!Array.from(document.head.children).some((o) => o.isEqualNode(el))) document.head.append(el);
  }
  const body = doc.body;
  for (const old of Array.from(body.querySelectorAll("script"))) {
    const s = document.createElement("script");
    for (const a of Array.from(old.attributes)) s.setAttribute(a.name, a.value);
    s.text = old.text;
    old.replaceWith(s);
  }
  const kept = new Map(Array.from(document.body.querySelectorAll("[data-live]"), (m) => [identity(m), m]));
  // Top-level mounts only: a nested one belongs to its parent's markup.
  const top = (m: Element) => !m.parentElement?.closest("[data-live]");
  for (const m of Array.from(body.querySelectorAll("[data-live]")).filter(top)) {
    const old = kept.get(identity(m));
    if (old && top(old)) m.replaceWith(old);
  }
  document.body.replaceWith(body);
}

async function go(url: string, push = true): Promise<void> {
  const n = ++latest;
  if (push) scrolls.set(entry, [scrollX, scrollY]);
  progress(true);
  try {
    const res = await fetch(url, { headers: { accept: "text/html", "x-stratus-navigate": "1" } });
    if (!res.headers.get("content-type")?.includes("text/html")) throw new Error("not a page");
    const doc = new DOMParser().parseFromString(await res.text(), "text/html");
    if (n !== latest) return;
    const to = new URL(res.url || url, location.href);
    to.hash = new URL(url, location.href).hash;
    if (push) {
      entry = String(Math.random());
      history.pushState({ stratus: entry }, "", to);
    }
    swap(doc);
    const at = push ? undefined : scrolls.get(entry);
    if (at) scrollTo(at[0], at[1]);
    else if (to.hash) document.getElementById(decodeURIComponent(to.hash.slice(1)))?.scrollIntoView();
    else scrollTo(0, 0);
  } catch {
    // Anything the swap cannot handle (a download, a network error) is a normal page load.
    if (n === latest) location.assign(url);
  } finally {
    if (n === latest) progress(false);
  }
}

register("navigate", {
  go: (url) => go(url),
  pop(state) {
    scrolls.set(entry, [scrollX, scrollY]);
    entry = state.stratus;
    void go(location.href, false);
  },
});
