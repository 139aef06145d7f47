import type { Connection } from "./connection";
import { clearDirty, editMark, isDirty } from "./morph";

/**
 * Two-way binding: `data-model="field"` sends the field's typed value to the
 * viewer's state on the server (a `model` frame), which renders it back.
 * When it syncs is `data-model-on`: `live` (default: on input, text debounced
 * by `data-debounce` ms, default 150), `change`, `blur`, or `lazy` (kept until
 * the next action and sent just before it). Inside `[data-validate]` the
 * server validates the fields and renders their errors.
 */
type Field = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

const DEBOUNCE_MS = 150;
const timers = new WeakMap<Element, ReturnType<typeof setTimeout>>();

/** The inputs bound to one field in this root, of the same mount as `el`. */
const group = (root: Element, el: Element, name: string) =>
  Array.from(root.querySelectorAll<HTMLInputElement>(`[data-model="${CSS.escape(name)}"]`)).filter((i) => i.closest("[data-live]") === el.closest("[data-live]"));

/** Checkboxes with a value are a group (an array of the checked values), without one a boolean; numbers are numbers, empty is null. */
export function modelValue(el: Field, root: Element): unknown {
  if (el instanceof HTMLSelectElement) return el.multiple ? Array.from(el.selectedOptions, (o) => o.value) : el.value;
  const type = el.type;
  const checked = () => group(root, el, el.dataset.model!).filter((i) => i.checked);
  if (type === "checkbox") return el.hasAttribute("value") ? checked().map((i) => i.value) : (el as HTMLInputElement).checked;
  if (type === "radio") return checked()[0]?.value ?? null;
  if (type === "number" || type === "range") return el.value === "" ? null : Number(el.value);
  // Dates and times travel as their ISO strings ("2026-12-03", "14:30"); a schema may turn them into Dates.
  if (/^(date|datetime-local|time|month|week)$/.test(type)) return el.value || null;
  return el.value;
}

export function sync(el: Field, mount: HTMLElement, conn: Connection): void {
  clearTimeout(timers.get(el));
  timers.delete(el);
  if (!isDirty(el)) return;
  const name = el.dataset.model!;
  const fields = { [name]: modelValue(el, mount) };
  const upTo = editMark();
  // A group (radios, checkboxes) is one field: its inputs follow the server again together.
  const done = () => clearDirty(group(mount, el, name), upTo);
  if (el.dataset.modelOn === "lazy") conn.defer(fields, done);
  else conn.model(fields, !!el.closest("[data-validate]"), el, done);
}

/** input, change and focusout on a bound field. */
export function onModelEvent(ev: Event, el: Field, mount: HTMLElement, conn: Connection): void {
  const on = el.dataset.modelOn ?? "live";
  const type = ev.type;
  if (on === "live" || on === "lazy") {
    if (type === "input") {
      const wait = /^(checkbox|radio|select)/.test(el.type) ? 0 : Number(el.dataset.debounce ?? DEBOUNCE_MS);
      if (wait === 0 || on === "lazy") return sync(el, mount, conn);
      clearTimeout(timers.get(el));
      timers.set(el, setTimeout(() => sync(el, mount, conn), wait));
      return;
    }
    // Leaving the field or committing it (Enter, blur) sends what is still waiting for its debounce.
    if (timers.has(el)) sync(el, mount, conn);
    return;
  }
  if ((on === "blur" && type === "focusout") || (on === "change" && type === "change")) sync(el, mount, conn);
}
