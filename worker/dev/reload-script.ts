/**
 * The browser half of the development reload signal, served at /__stratus/reload.js and put into
 * every HTML page in development only (production pages and the client bundle carry none of it).
 * It listens to /__stratus/reload, which names the Worker's build (one per isolate start). When the
 * build changes, live sockets reconnect at once (the component's own resume then brings new
 * markup), and the page reloads itself only when its markup outside live mounts changed, so a
 * component edit keeps the page (and its focus, scroll and drafts) and a page edit shows.
 */
export const RELOAD_SCRIPT = `(() => {
  const skeleton = (text) => {
    const d = new DOMParser().parseFromString(text, "text/html");
    // A mount's content is the component's, and its token differs per request: only the page counts.
    for (const m of d.querySelectorAll("[data-live]")) {
      m.replaceChildren();
      for (const a of [...m.attributes]) if (a.name !== "data-live") m.removeAttribute(a.name);
    }
    // This script's tag names the build, which differs on every restart.
    for (const s of d.querySelectorAll("script[data-build]")) s.remove();
    return d.documentElement.outerHTML;
  };
  const page = () => fetch(location.href, { headers: { accept: "text/html" }, cache: "no-store" }).then((r) => r.text()).then(skeleton);
  const base = page().catch(() => undefined);
  // The build this page came from, so a restart before the stream first answers is not missed.
  let build = document.currentScript?.dataset.build;
  const listen = () => {
    const es = new EventSource("/__stratus/reload");
    es.onmessage = async (e) => {
      // Shown on the page for tools and tests: the build the page follows.
      document.documentElement.dataset.stratusBuild = e.data;
      if (e.data === build) return;
      build = e.data;
      // The Worker restarted: sockets waiting out a backoff step reconnect now.
      dispatchEvent(new Event("online"));
      const [before, now] = await Promise.all([base, page().catch(() => undefined)]);
      if (now !== undefined && now !== before) location.reload();
    };
    // EventSource retries a dropped stream itself, but gives up on an error status (a reload in progress).
    es.onerror = () => es.readyState === EventSource.CLOSED && setTimeout(listen, 300);
  };
  listen();
})();
`;
