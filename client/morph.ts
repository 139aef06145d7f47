import { Idiomorph } from "idiomorph";

/**
 * Form fields the user has edited, with the edit's number. A server render
 * must not overwrite them: the server does not know what is being typed, and
 * resetting the value would lose text and move the cursor. An edit stays the
 * user's until the server acknowledges a frame that carried it (a bound
 * field's sync, the form's submission); a render that arrives meanwhile, even
 * one showing this viewer's older value, leaves the field alone. Every other
 * control follows the new markup, properties included (`checked`, `selected`,
 * `value`), focused or not: a submitted form that the server resets clears.
 */
const dirty = new WeakMap<Element, number>();
let edits = 0;
const FIELD_PROPS = new Set(["value", "checked", "selected"]);
/** Regions the runtime writes into itself: a server render never resets them. */
const OWNED = "[data-flash],[data-upload-progress],[data-upload-preview]";

export function markDirty(el: Element): void {
  dirty.set(el, ++edits);
}

export function isDirty(el: Element): boolean {
  return dirty.has(el);
}

/** The number of the latest edit: a submission covers the edits up to here. */
export function editMark(): number {
  return edits;
}

/** Once a submission (or a bound field's sync) is acknowledged, those fields follow the server again; later typing stays. */
export function clearDirty(fields: Iterable<Element> | HTMLFormControlsCollection, upTo: number): void {
  for (const el of Array.from(fields)) if ((dirty.get(el) ?? Infinity) <= upTo) dirty.delete(el);
}

function kept(node: Element): boolean {
  const field = node instanceof HTMLOptionElement ? (node.closest("select") ?? node) : node;
  return dirty.has(field);
}

const identity = (el: Element) => `${el.getAttribute("data-live")}\u0000${el.getAttribute("data-live-key")}`;

function syncAttributes(from: Element, to: Element): void {
  for (const a of Array.from(to.attributes)) if (!from.hasAttribute(a.name)) to.removeAttribute(a.name);
  for (const a of Array.from(from.attributes)) if (to.getAttribute(a.name) !== a.value) to.setAttribute(a.name, a.value);
}

/**
 * Morphs a mount's children to new HTML, keeping focus, selection and typed
 * values. A nested live mount of the same instance is its own socket's to
 * paint; a `data-ignore` element keeps its children (its attributes follow).
 */
export function morphInto(mount: Element, html: string): void {
  Idiomorph.morph(mount, html, {
    morphStyle: "innerHTML",
    restoreFocus: true,
    callbacks: {
      beforeNodeMorphed: (old: Node, next: Node) => {
        if (!(old instanceof Element) || !(next instanceof Element)) return true;
        if (old.matches(OWNED) || (old.hasAttribute("data-live") && identity(old) === identity(next))) return false;
        if (!old.hasAttribute("data-ignore")) return true;
        syncAttributes(next, old);
        return false;
      },
      // An upload's state is the runtime's: the server's markup does not know it.
      beforeAttributeUpdated: (attr: string, node: Element) => !(FIELD_PROPS.has(attr) && kept(node)) && attr !== "data-upload-state",
    },
  });
}
