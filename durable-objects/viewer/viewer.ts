import { ViewerSlot } from "../../worker/templating/viewer-slot";

/** Whose viewer state it is: one connection (a page's socket, across its reconnects) or one user across tabs. */
export type ViewerScope = "connection" | "user";

/**
 * What an object keeps per viewer, never broadcast: the component's viewer state, the form fields
 * bound with `data-model` (model frames), and the field errors of the last validation.
 */
export interface ViewerRecord<V> {
  state: V;
  fields: Record<string, unknown>;
  /** Messages by field (the first segment of an issue's path; "" for the form as a whole). */
  errors: Record<string, string[]>;
  /** The viewer states of child components, by child key (absent until one changes). */
  children?: Record<string, unknown>;
}

/** The bound form as a render sees it. */
export interface FormView {
  readonly fields: Readonly<Record<string, unknown>>;
  /** The field's current value (undefined when the viewer has not set it). */
  field(name: string): unknown;
  /** The field's messages from the last validation (empty when valid or not validated). */
  errors(name: string): readonly string[];
}

/** What viewer slots receive. */
export interface SlotArg<V> {
  state: V;
  form: FormView;
  children: Readonly<Record<string, unknown>>;
}

/**
 * The second argument of `render`: makes the viewer-dependent parts of a render. Everything
 * outside these slots is rendered and diffed once per commit and sent to every socket alike;
 * each slot is rendered per socket with that socket's viewer state. Slots do not nest.
 */
export interface Viewer<V> {
  /** A part rendered with the viewer's state and form (any template value: text, html``, lists). */
  slot(render: (state: V, form: FormView) => unknown): ViewerSlot<SlotArg<V>>;
  /** The bound field's value, for `value="${viewer.field("title")}"` or `?checked=${viewer.field("agree")}`. */
  field(name: string): ViewerSlot<SlotArg<V>>;
  /** The field's error messages as text (joined by a space); empty when it is valid. */
  errors(name: string): ViewerSlot<SlotArg<V>>;
}

const scalar = (v: unknown): unknown => (Array.isArray(v) ? v.join(",") : typeof v === "object" && v !== null ? JSON.stringify(v) : v);

/** `state` picks the viewer state a slot sees: the component's, or one child's (see child.ts). */
export function viewerHelper<V>(state: (a: SlotArg<unknown>) => V = (a) => a.state as V): Viewer<V> {
  return {
    slot: (render) => new ViewerSlot<SlotArg<V>>((a) => render(state(a), a.form)),
    field: (name) => new ViewerSlot<SlotArg<V>>((a) => scalar(a.form.field(name))),
    errors: (name) => new ViewerSlot<SlotArg<V>>((a) => a.form.errors(name).join(" ")),
  };
}

const NO_ERRORS: readonly string[] = [];

export function slotArg<V>(r: ViewerRecord<V>): SlotArg<V> {
  return {
    state: r.state,
    children: r.children ?? {},
    form: {
      fields: r.fields,
      field: (name) => (Object.hasOwn(r.fields, name) ? r.fields[name] : undefined),
      errors: (name) => (Object.hasOwn(r.errors, name) ? r.errors[name]! : NO_ERRORS),
    },
  };
}
