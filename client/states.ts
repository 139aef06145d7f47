import type { Connection, Pending } from "./connection";
import { isDirty } from "./morph";

/**
 * Pending and dirty states as attributes, so pages style them with CSS alone.
 * Recomputed from the connection's outbox after every change and every paint
 * (a paint resets attributes to the server's markup).
 */

/** Elements of this mount, not of a live mount nested in it. */
export function own<T extends Element = HTMLElement>(mount: Element, selector: string): T[] {
  return Array.from(mount.querySelectorAll<T>(selector)).filter((el) => el.closest("[data-live]") === mount);
}

const words = (s: string) => s.split(/[\s,]+/).filter(Boolean);

/** Unscoped, any action; scoped, action names or `#id` of the element that sent it. A bound field's sync is no action. */
function covers(scope: string, p: Pending): boolean {
  const action = p.frame.type === "action" ? p.frame.name : null;
  if (!scope) return action !== null;
  return words(scope).some((w) => (w[0] === "#" ? !!p.trigger?.closest(w) : w === action));
}

/** Shows the element (removes `hidden`), or with `data-*-class` adds those classes instead. */
function show(el: HTMLElement, on: boolean, classes: string | undefined): void {
  if (classes === undefined) el.hidden = !on;
  else for (const c of words(classes)) el.classList.toggle(c, on);
}

const nameOf = (f: Element) => f.getAttribute("data-model") ?? f.getAttribute("name");

export function refreshStates(mount: HTMLElement, conn: Connection): void {
  const pending = Array.from(conn.pending);
  const busy = pending.some((p) => covers("", p));
  mount.classList.toggle("live-pending", busy);
  mount.setAttribute("aria-busy", String(busy));
  for (const el of own(mount, "[data-live-pending]")) el.removeAttribute("data-live-pending");
  for (const el of own<HTMLButtonElement>(mount, "[data-live-disabled]")) {
    el.removeAttribute("data-live-disabled");
    el.disabled = false;
  }
  for (const p of pending) {
    if (!covers("", p) || !p.trigger?.isConnected) continue;
    p.trigger.setAttribute("data-live-pending", "");
    // One submission at a time: its buttons wait for the ack (Enter is blocked by the disabled default button too).
    if (p.trigger instanceof HTMLFormElement) {
      for (const b of Array.from(p.trigger.querySelectorAll<HTMLButtonElement>("button:not([type=button]),input[type=submit]"))) {
        if (!b.disabled) (b.disabled = true), b.setAttribute("data-live-disabled", "");
      }
    }
  }
  for (const el of own(mount, "[data-loading]")) show(el, pending.some((p) => covers(el.dataset.loading!, p)), el.dataset.loadingClass);
  const fields = own(mount, "input,select,textarea");
  for (const f of fields) f.toggleAttribute("data-modified", isDirty(f));
  for (const el of own(mount, "[data-dirty]")) {
    const scope = words(el.dataset.dirty!);
    const box = el.closest("form") ?? mount;
    const on = fields.some((f) => isDirty(f) && box.contains(f) && (!scope.length || scope.includes(nameOf(f)!)));
    show(el, on, el.dataset.dirtyClass);
  }
}
