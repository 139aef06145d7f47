import { Idiomorph } from "idiomorph";

/**
 * Form fields the user has typed into. A server render must not overwrite
 * them: the server does not know what is being typed, and resetting the value
 * would lose text and move the cursor.
 */
const dirty = new WeakSet<Element>();
const FIELD_PROPS = new Set(["value", "checked", "selected"]);

export function markDirty(el: Element): void {
  dirty.add(el);
}

/** After a form is submitted, its fields follow the server again (e.g. a cleared input). */
export function clearDirty(form: HTMLFormElement): void {
  for (const el of Array.from(form.elements)) dirty.delete(el);
}

/** Morphs a mount's children to new HTML, keeping focus, selection and typed values. */
export function morphInto(mount: Element, html: string): void {
  Idiomorph.morph(mount, html, {
    morphStyle: "innerHTML",
    ignoreActiveValue: true,
    restoreFocus: true,
    callbacks: {
      beforeAttributeUpdated: (attr: string, node: Element) => !(FIELD_PROPS.has(attr) && dirty.has(node)),
    },
  });
}
