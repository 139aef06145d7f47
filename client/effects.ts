import type { Effect } from "../durable-objects/realtime/protocol";
import type { Connection } from "./connection";
import { navigate } from "./navigation";

/**
 * What an action asked the browser to do. A flash goes into the nearest
 * `[data-flash]` region (the mount's, else the page's) unless a
 * `stratus:flash` listener cancels it; `data-flash="4000"` removes each
 * message after that many ms. A browser event is dispatched on the mount and
 * bubbles to `window`, and reaches the hooks that `handleEvent` it.
 */
export function runEffect(e: Effect, conn: Connection): void {
  const mount = Array.from(conn.mounts).find((m) => m.isConnected) ?? document.body;
  if (e.kind === "redirect") return location.assign(e.url);
  if (e.kind === "navigate") return void navigate(e.url);
  if (e.kind === "event") {
    for (const fn of Array.from(conn.handlers.get(e.name) ?? [])) {
      // A hook's handler that throws must not make the connection resync (as a frame that cannot apply would).
      try {
        fn(e.detail);
      } catch (err) {
        console.error(err);
      }
    }
    mount.dispatchEvent(new CustomEvent(e.name, { detail: e.detail, bubbles: true }));
    return;
  }
  if (!mount.dispatchEvent(new CustomEvent("stratus:flash", { detail: e, bubbles: true, cancelable: true }))) return;
  const region = mount.querySelector("[data-flash]") ?? document.querySelector("[data-flash]");
  if (!region) return;
  const msg = document.createElement("div");
  msg.setAttribute("role", e.level === "error" ? "alert" : "status");
  msg.dataset.level = e.level;
  msg.textContent = e.message;
  region.append(msg);
  const ms = Number(region.getAttribute("data-flash"));
  if (ms > 0) setTimeout(() => msg.remove(), ms);
}
