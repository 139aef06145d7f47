import { Idiomorph } from "idiomorph";

/**
 * Form fields the user has edited, with the edit's number. A server render
 * must not overwrite them: the server does not know what is being typed, and
 * resetting the value would lose text and move the cursor. Every other control
 * follows the new markup, properties included (`checked`, `selected`, `value`),
 * focused or not.
 */
const dirty = new WeakMap<Element, number>();
let edits = 0;
const FIELD_PROPS = new Set(["value", "checked", "selected"]);

export function markDirty(el: Element): void {
  dirty.set(el, ++edits);
}

/** The number of the latest edit: a submission covers the edits up to here. */
export function editMark(): number {
  return edits;
}

/** Once a submission is acknowledged, its fields follow the server again (e.g. a cleared input); later typing stays. */
export function clearDirty(form: HTMLFormElement, upTo: number): void {
  for (const el of Array.from(form.elements)) if ((dirty.get(el) ?? Infinity) <= upTo) dirty.delete(el);
}

function edited(node: Element): boolean {
  return dirty.has(node instanceof HTMLOptionElement ? (node.closest("select") ?? node) : node);
}

/** Morphs a mount's children to new HTML, keeping focus, selection and typed values. */
export function morphInto(mount: Element, html: string): void {
  Idiomorph.morph(mount, html, {
    morphStyle: "innerHTML",
    restoreFocus: true,
    callbacks: {
      beforeAttributeUpdated: (attr: string, node: Element) => !(FIELD_PROPS.has(attr) && edited(node)),
    },
  });
}
