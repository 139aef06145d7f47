import { ActionError } from "../action";
import type { Effect, FlashLevel } from "../realtime/protocol";
import type { UploadedFile } from "../uploads/upload-rules";
import type { ViewerRecord } from "./viewer";

/**
 * The fourth argument of an action handler: the acting viewer's state and form, and what the
 * action does to that viewer only. Everything here is staged and takes effect only when the
 * action's events commit (an action that throws or fails changes no viewer and sends nothing).
 * Over RPC (`dispatch`) there is no viewer: `viewer` is the initial state and the rest is ignored.
 */
export interface ActionContext<V = unknown> {
  /** The acting viewer's state as the action started. */
  readonly viewer: V;
  /** The acting viewer's bound form fields (what `data-model` inputs last sent). */
  readonly form: Readonly<Record<string, unknown>>;
  /** Replaces the acting viewer's state (never logged, never broadcast); its slots re-render for its sockets. */
  setViewer(next: V | ((current: V) => V)): void;
  /** Clears the bound form and its errors (after a submit), or sets it to `fields`. */
  resetForm(fields?: Record<string, unknown>): void;
  /** A full page load of `url` in the acting browser. */
  redirect(url: string): void;
  /** Loads `url` without a full reload (the body is swapped; sockets of components on both pages stay). */
  navigate(url: string): void;
  /** A message shown by the acting browser. */
  flash(level: FlashLevel, message: string): void;
  /** A DOM CustomEvent `name` with `detail`, dispatched on the component's mount in the acting browser. */
  dispatchBrowserEvent(name: string, detail?: unknown): void;
  /**
   * A completed upload of this object, kept for good when the action commits (until then, and if
   * the action fails, it stays temporary and the sweep deletes it). Throws an ActionError when the
   * id names no completed upload of the acting user.
   */
  keepUpload(id: string): UploadedFile;
}

const MAX_URL = 2048;

/** One action's staged viewer change and effects; `record` is undefined while nothing changed. */
export class StagedContext<V> implements ActionContext<V> {
  readonly effects: Effect[] = [];
  readonly kept: string[] = [];
  record: ViewerRecord<V> | undefined;
  readonly #start: ViewerRecord<V>;
  readonly #find: (id: string) => UploadedFile | undefined;

  constructor(start: ViewerRecord<V>, find: (id: string) => UploadedFile | undefined = () => undefined) {
    this.#start = start;
    this.#find = find;
  }

  /** A child component's viewer state (internal: child actions go through ChildContext). */
  childState<CV>(key: string, initial: () => CV): CV {
    const children = (this.record ?? this.#start).children;
    return children && Object.hasOwn(children, key) ? (children[key] as CV) : initial();
  }
  setChildState(key: string, value: unknown): void {
    const r = this.record ?? this.#start;
    this.record = { ...r, children: { ...r.children, [key]: value } };
  }

  keepUpload(id: string): UploadedFile {
    const file = typeof id === "string" ? this.#find(id) : undefined;
    if (!file) throw new ActionError(`No completed upload ${JSON.stringify(String(id).slice(0, 64))} to keep.`);
    if (!this.kept.includes(id)) this.kept.push(id);
    return file;
  }

  get viewer(): V {
    return (this.record ?? this.#start).state;
  }
  get form(): Readonly<Record<string, unknown>> {
    return (this.record ?? this.#start).fields;
  }
  setViewer(next: V | ((current: V) => V)): void {
    const state = typeof next === "function" ? (next as (current: V) => V)(this.viewer) : next;
    this.record = { ...(this.record ?? this.#start), state };
  }
  resetForm(fields: Record<string, unknown> = {}): void {
    this.record = { ...(this.record ?? this.#start), fields: { ...fields }, errors: {} };
  }
  redirect(url: string): void {
    this.effects.push({ kind: "redirect", url: checkUrl(url) });
  }
  navigate(url: string): void {
    this.effects.push({ kind: "navigate", url: checkUrl(url) });
  }
  flash(level: FlashLevel, message: string): void {
    if (level !== "info" && level !== "success" && level !== "error") throw new TypeError(`flash level must be info, success or error, not ${String(level)}.`);
    this.effects.push({ kind: "flash", level, message: String(message) });
  }
  dispatchBrowserEvent(name: string, detail?: unknown): void {
    if (typeof name !== "string" || name === "" || name.length > 100) throw new TypeError("A browser event needs a name of 1 to 100 characters.");
    this.effects.push(detail === undefined ? { kind: "event", name } : { kind: "event", name, detail });
  }
}

/**
 * Effects go to the browser as they are: only same-origin paths and http(s) URLs, so an action
 * echoing user input cannot send a `javascript:` URL to run.
 */
function checkUrl(url: string): string {
  if (typeof url !== "string" || url.length === 0 || url.length > MAX_URL) throw new TypeError(`A URL of 1 to ${MAX_URL} characters is needed.`);
  if (url.startsWith("/") && !url.startsWith("//")) return url;
  if (/^https?:\/\//i.test(url)) return url;
  throw new TypeError(`Only paths ("/...") and http(s) URLs can be redirected or navigated to, not ${JSON.stringify(url.slice(0, 80))}.`);
}
