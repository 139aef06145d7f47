import { formArgs, dataArgs } from "./args";
import { Connection } from "./connection";
import { clearDirty, markDirty } from "./morph";

/**
 * The Stratus browser runtime. Finds server-rendered live mounts
 * (`[data-live]`), connects them, and turns `data-action` clicks and form
 * submissions into actions. The page works before this script runs; this
 * only makes it live.
 */
const connections = new Map<string, Connection>();

function connectionFor(mount: HTMLElement): Connection | undefined {
  const { live, liveKey, liveToken } = mount.dataset;
  if (!live || liveKey === undefined || !liveToken) return undefined;
  const id = `${live}\u0000${liveKey}`;
  let conn = connections.get(id);
  if (!conn) {
    conn = new Connection(live, liveKey, liveToken);
    connections.set(id, conn);
    conn.connect();
  }
  return conn;
}

function scan(root: ParentNode): void {
  for (const el of Array.from(root.querySelectorAll<HTMLElement>("[data-live]"))) {
    if (!el.dataset.liveBound) {
      el.dataset.liveBound = "";
      connectionFor(el)?.attach(el);
    }
  }
}

function mountOf(el: Element): HTMLElement | null {
  return el.closest<HTMLElement>("[data-live]");
}

function dispatch(mount: HTMLElement, name: string, args: unknown, trigger: Element): void {
  const { live, liveKey } = mount.dataset;
  connections.get(`${live}\u0000${liveKey}`)?.send(name, args, trigger);
}

document.addEventListener("click", (ev) => {
  const target = (ev.target as Element | null)?.closest<HTMLElement>("[data-action]");
  if (!target || target instanceof HTMLFormElement) return;
  // A submit button in a form goes through the submit event, which carries the fields.
  if ((target instanceof HTMLButtonElement || target instanceof HTMLInputElement) && target.type === "submit" && target.form) return;
  const mount = mountOf(target);
  if (!mount) return;
  ev.preventDefault();
  dispatch(mount, target.dataset.action!, dataArgs(target), target);
});

document.addEventListener("submit", (ev) => {
  const form = ev.target as HTMLFormElement;
  const name = ev.submitter?.dataset.action ?? form.dataset.action;
  const mount = mountOf(form);
  if (!name || !mount) return;
  ev.preventDefault();
  const args = formArgs(form, ev.submitter);
  if (ev.submitter) dataArgs(ev.submitter, args);
  clearDirty(form);
  dispatch(mount, name, args, form);
});

document.addEventListener("input", (ev) => {
  if (ev.target instanceof Element && mountOf(ev.target)) markDirty(ev.target);
});

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => scan(document));
else scan(document);

declare global {
  interface Window {
    Stratus: { scan: typeof scan; connections: typeof connections };
  }
}
window.Stratus = { scan, connections };
