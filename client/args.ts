const JSONISH = /^(?:-?\d|true$|false$|null$|\[|\{)/;

import { modelValue } from "./model";

/**
 * `data-*` values become typed arguments where they read as JSON
 * (`data-by="1"` is the number 1, `data-ids="[1,2]"` an array); anything else
 * stays a string (`data-id="007"` stays "007").
 */
export function parseArg(value: string): unknown {
  if (!JSONISH.test(value)) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** The runtime's own data-* attributes (as dataset keys): never arguments. */
const OWN = /^(action|live|model|validate|loading|dirty|debounce|hook|ignore|navigate|flash|upload|maxSize)/;

/** Arguments from an element's data-* attributes, except the runtime's own. */
export function dataArgs(el: HTMLElement, into: Record<string, unknown> = {}): Record<string, unknown> {
  for (const [k, v] of Object.entries(el.dataset)) {
    if (OWN.test(k) || v === undefined) continue;
    into[k] = parseArg(v);
  }
  return into;
}

/**
 * Form fields as arguments: repeated names become arrays, number inputs numbers, checkboxes without
 * value booleans, an empty number or date null (as bound fields send them).
 */
export function formArgs(form: HTMLFormElement, submitter: HTMLElement | null): Record<string, unknown> {
  const args: Record<string, unknown> = dataArgs(form);
  const data = new FormData(form, submitter instanceof HTMLButtonElement || submitter instanceof HTMLInputElement ? submitter : null);
  for (const [name, raw] of data) {
    if (typeof raw !== "string") continue;
    const field = form.elements.namedItem(name);
    let value: unknown = raw;
    if (field instanceof HTMLInputElement) {
      if (raw === "" && /^(number|range|date|datetime-local|time|month|week)$/.test(field.type)) value = null;
      else if (field.type === "number" || field.type === "range") value = Number(raw);
      else if (field.type === "checkbox" && !field.hasAttribute("value")) value = true;
    }
    if (name in args && Array.isArray(args[name])) (args[name] as unknown[]).push(value);
    else if (name in args && data.getAll(name).length > 1) args[name] = [args[name], value];
    else args[name] = value;
  }
  // Bound fields send what their syncs send: a checkbox group is an array even with one box checked, or none.
  for (const el of Array.from(form.querySelectorAll<HTMLInputElement>("[data-model]"))) if (el.type !== "file") args[el.dataset.model!] = modelValue(el, form);
  return args;
}
