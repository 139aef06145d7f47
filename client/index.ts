import { formArgs, dataArgs } from "./args";
import { Connection } from "./connection";
import { clearDirty, editMark, markDirty } from "./morph";

/**
 * The Stratus browser runtime. Finds server-rendered live mounts
 * (`[data-live]`), connects them, and turns `data-action` clicks and form
 * submissions into actions. The page works before this script runs; this
 * only makes it live. Mounts added to the page later go live; a socket
 * closes when the last mount of its instance leaves.
 */
const connections = new Map<string, Connection>();
/** Each bound mount and the id of its connection. */
const bound = new WeakMap<HTMLElement, string>();

const idOf = (mount: HTMLElement) => `${mount.dataset.live}\u0000${mount.dataset.liveKey}`;

function bind(mount: HTMLElement): void {
  const { live, liveKey, liveToken } = mount.dataset;
  if (bound.has(mount) || !live || liveKey === undefined || !liveToken) return;
  const id = idOf(mount);
  let conn = connections.get(id);
  if (!conn) {
    conn = new Connection(live, liveKey, liveToken);
    connections.set(id, conn);
    void conn.connect();
  }
  bound.set(mount, id);
  conn.attach(mount);
}

function unbind(mount: HTMLElement): void {
  const id = bound.get(mount);
  if (id === undefined) return;
  bound.delete(mount);
  const conn = connections.get(id);
  if (conn && conn.detach(mount) === 0) {
    conn.close();
    connections.delete(id);
  }
}

function mountsIn(node: Node): HTMLElement[] {
  if (!(node instanceof HTMLElement)) return [];
  const found = Array.from(node.querySelectorAll<HTMLElement>("[data-live]"));
  return node.matches("[data-live]") ? [node, ...found] : found;
}

function scan(root: ParentNode): void {
  for (const el of Array.from(root.querySelectorAll<HTMLElement>("[data-live]"))) if (el.isConnected) bind(el);
}

// A node moved within the page shows up as removed and added: what counts is where it is now.
new MutationObserver((records) => {
  for (const r of records) {
    for (const n of Array.from(r.removedNodes)) for (const m of mountsIn(n)) if (!m.isConnected) unbind(m);
    for (const n of Array.from(r.addedNodes)) for (const m of mountsIn(n)) if (m.isConnected) bind(m);
  }
}).observe(document, { childList: true, subtree: true });

function mountOf(el: Element): HTMLElement | null {
  return el.closest<HTMLElement>("[data-live]");
}

function dispatch(mount: HTMLElement, name: string, args: unknown, trigger: Element, onAck?: () => void): void {
  connections.get(idOf(mount))?.send(name, args, trigger, onAck);
}

document.addEventListener("click", (ev) => {
  const target = (ev.target as Element | null)?.closest<HTMLElement>("[data-action]");
  if (!target || target instanceof HTMLFormElement) return;
  // A submit button in a form goes through the submit event, which carries the fields.
  if ((target instanceof HTMLButtonElement || target instanceof HTMLInputElement) && target.type === "submit" && target.form) return;
  const mount = mountOf(target);
  if (!mount) return;
  // The server decides: a data-action checkbox shows what the server renders, not the click.
  ev.preventDefault();
  dispatch(mount, target.dataset.action!, dataArgs(target), target);
});

// Enter in a field and a click on the submit button both arrive here, so they behave the same.
document.addEventListener("submit", (ev) => {
  const form = ev.target as HTMLFormElement;
  const name = ev.submitter?.dataset.action ?? form.dataset.action;
  const mount = mountOf(form);
  if (!name || !mount) return;
  ev.preventDefault();
  const args = formArgs(form, ev.submitter);
  if (ev.submitter) dataArgs(ev.submitter, args);
  // Once acknowledged, the fields follow the server again (a cleared input), except what was typed since.
  const upTo = editMark();
  dispatch(mount, name, args, form, () => clearDirty(form, upTo));
});

document.addEventListener("input", (ev) => {
  // A control that is its own action (a data-action checkbox) holds no draft.
  if (ev.target instanceof Element && mountOf(ev.target) && !ev.target.matches("[data-action]")) markDirty(ev.target);
});

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => scan(document));
else scan(document);

declare global {
  interface Window {
    Stratus: { scan: typeof scan; connections: typeof connections };
  }
}
window.Stratus = { scan, connections };
