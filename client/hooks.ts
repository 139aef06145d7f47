import type { Connection } from "./connection";
import { own } from "./states";

/**
 * Client hooks: `Stratus.hooks.Chart = { mounted() {}, updated() {}, destroyed() {} }`
 * runs for each `data-hook="Chart"` element in a live mount. Each element gets
 * its own object (prototype: the hook), with `this.el`, `this.pushEvent(action, args)`
 * (sends an action, returns its id) and `this.handleEvent(name, fn)` (receives the
 * browser events the component pushes). `updated` runs after each paint of the mount.
 */
export interface HookContext {
  el: HTMLElement;
  pushEvent(action: string, args?: Record<string, unknown>, onAck?: () => void): string;
  handleEvent(name: string, fn: (detail: unknown) => void): void;
}
export interface Hook {
  mounted?(this: Hook & HookContext): void;
  updated?(this: Hook & HookContext): void;
  destroyed?(this: Hook & HookContext): void;
  [key: string]: unknown;
}

export const hooks: Record<string, Hook> = {};

interface Running {
  name: string;
  mount: HTMLElement;
  self: Hook & HookContext;
  off: (() => void)[];
}
const running = new Map<HTMLElement, Running>();

/** A hook that throws must not stop the runtime (a paint that throws would resync). */
function call(r: Running, fn: "mounted" | "updated" | "destroyed"): void {
  try {
    r.self[fn]?.();
  } catch (err) {
    console.error(err);
  }
}

function stop(el: HTMLElement, r: Running): void {
  running.delete(el);
  for (const off of r.off) off();
  call(r, "destroyed");
}

/** After a paint: destroys hooks whose element left, updates the rest, mounts new ones. */
export function syncHooks(mount: HTMLElement, conn: Connection): void {
  for (const [el, r] of Array.from(running)) if (r.mount === mount && (el.closest("[data-live]") !== mount || r.name !== el.dataset.hook)) stop(el, r);
  for (const el of own(mount, "[data-hook]")) {
    const r = running.get(el);
    if (r) {
      call(r, "updated");
      continue;
    }
    const def = hooks[el.dataset.hook!];
    if (!def) continue;
    const off: (() => void)[] = [];
    const self = Object.assign(Object.create(def) as Hook, {
      el,
      pushEvent: (action: string, args: Record<string, unknown> = {}, onAck?: () => void) => conn.send(action, args, el, onAck),
      handleEvent(name: string, fn: (detail: unknown) => void) {
        const set = conn.handlers.get(name) ?? new Set();
        conn.handlers.set(name, set.add(fn));
        off.push(() => set.delete(fn));
      },
    });
    const started: Running = { name: el.dataset.hook!, mount, self, off };
    running.set(el, started);
    call(started, "mounted");
  }
}

/** The mount left the page: all of its hooks end. */
export function stopHooks(mount: HTMLElement): void {
  for (const [el, r] of Array.from(running)) if (r.mount === mount) stop(el, r);
}
