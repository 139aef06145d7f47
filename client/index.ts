import { formArgs, dataArgs } from "./args";
import { Connection } from "./connection";
import { hooks, type Hook } from "./hooks";
import { onModelEvent } from "./model";
import { clearDirty, editMark, markDirty } from "./morph";
import { navigate, preloadNavigation } from "./navigation";
import { refreshStates } from "./states";
import { chunk } from "./lazy";

/**
 * The Stratus browser runtime. Finds server-rendered live mounts
 * (`[data-live]`), connects them, and turns `data-action` clicks, form
 * submissions and bound fields into actions. The page works before this
 * script runs; this only makes it live. Mounts added to the page later go
 * live (a nested component rendered by its parent included); a socket closes
 * when the last mount of its instance leaves.
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
// A mount whose parent re-rendered it for another instance (new key) is unbound and bound again.
new MutationObserver((records) => {
  for (const r of records) {
    if (r.type === "attributes") {
      const m = r.target as HTMLElement;
      if (bound.has(m) && bound.get(m) !== idOf(m)) unbind(m), bind(m);
      continue;
    }
    for (const n of Array.from(r.removedNodes)) for (const m of mountsIn(n)) if (!m.isConnected) unbind(m);
    for (const n of Array.from(r.addedNodes)) for (const m of mountsIn(n)) if (m.isConnected) bind(m);
  }
}).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ["data-live", "data-live-key"] });

function mountOf(el: Element): HTMLElement | null {
  return el.closest<HTMLElement>("[data-live]");
}

const connOf = (mount: HTMLElement) => connections.get(idOf(mount));

document.addEventListener("click", (ev) => {
  const target = (ev.target as Element | null)?.closest<HTMLElement>("[data-action]");
  if (!target || target instanceof HTMLFormElement) return;
  // A submit button in a form goes through the submit event, which carries the fields.
  if ((target instanceof HTMLButtonElement || target instanceof HTMLInputElement) && target.type === "submit" && target.form) return;
  const mount = mountOf(target);
  if (!mount) return;
  // The server decides: a data-action checkbox shows what the server renders, not the click.
  ev.preventDefault();
  connOf(mount)?.send(target.dataset.action!, dataArgs(target), target);
});

// Enter in a field and a click on the submit button both arrive here, so they behave the same.
document.addEventListener("submit", async (ev) => {
  const form = ev.target as HTMLFormElement;
  const name = ev.submitter?.dataset.action ?? form.dataset.action;
  const mount = mountOf(form);
  if (!name || !mount) return;
  ev.preventDefault();
  const args = formArgs(form, ev.submitter);
  if (ev.submitter) dataArgs(ev.submitter, args);
  // Once acknowledged, the fields follow the server again (a cleared input), except what was typed since.
  const upTo = editMark();
  // Chosen files: wait for their uploads, whose ids replace them.
  if (Array.from(form.querySelectorAll<HTMLInputElement>("input[data-upload]")).some((i) => i.files?.length)) await chunk("upload").then((u) => u.args(form, args), () => {});
  connOf(mount)?.send(name, args, form, () => clearDirty(form.elements, upTo));
});

type Field = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

function onField(ev: Event): void {
  const el = ev.target as Field;
  const mount = el instanceof Element ? mountOf(el) : null;
  const conn = mount && connOf(mount);
  if (!conn || !("form" in el)) return;
  // A control that is its own action (a data-action checkbox) holds no draft.
  if (ev.type === "input" && !el.matches("[data-action]")) {
    markDirty(el);
    // Checking one radio unchecks the others: a render must not re-check one of them either.
    if (el.type === "radio") for (const r of Array.from((el.form ?? mount).querySelectorAll(`[type=radio][name="${CSS.escape(el.name)}"]`))) markDirty(r);
  }
  // A file input's value is a fake path: its bound value is the upload's id, set when the upload completes.
  if (el.type === "file") {
    if (ev.type === "change" && el.dataset.upload) void chunk("upload").then((u) => u.start(el as HTMLInputElement, conn));
  } else if (el.dataset.model) onModelEvent(ev, el, mount, conn);
  refreshStates(mount, conn);
}
for (const type of ["input", "change", "focusout"]) document.addEventListener(type, onField);

const start = () => (scan(document), preloadNavigation());
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();

declare global {
  interface Window {
    Stratus: { scan: typeof scan; connections: typeof connections; hooks: Record<string, Hook>; navigate: typeof navigate };
  }
}
// Hooks registered before the runtime loaded (`window.Stratus = { hooks: {...} }`) are kept.
Object.assign(hooks, (window.Stratus as Partial<Window["Stratus"]> | undefined)?.hooks);
window.Stratus = { scan, connections, hooks, navigate };
