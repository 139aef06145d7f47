import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { Template } from "../../worker/templating/html";
import type { Caller } from "../caller";
import { viewerHelper, type SlotArg, type Viewer } from "./viewer";

/** What a child action may do: change its own viewer state, tell its parent. */
export interface ChildContext<CV> {
  readonly viewer: CV;
  setViewer(next: CV | ((current: CV) => CV)): void;
  /** A child→parent event: the parent's `onChildEvent(key, name, detail, ...)` decides what it commits. */
  emit(name: string, detail?: unknown): void;
}

export interface ChildAction<P, CV> {
  readonly schema: StandardSchemaV1;
  readonly handler: (props: P, args: never, caller: Caller, ctx: ChildContext<CV>) => void | Promise<void>;
}

/**
 * A child component that lives inside its parent's object: no socket or state of its own, it
 * presents the props its parent renders it with, keeps its own viewer state (per viewer, beside
 * the parent's), and its actions (`data-action="<key>:<name>"`) reach the parent as events.
 */
export interface ChildDefinition<P, CV> {
  initialViewer(): CV;
  render(props: P, viewer: Viewer<CV>, key: string): Template;
  readonly actions: Record<string, ChildAction<P, CV>>;
}

export function child<P, CV>(def: ChildDefinition<P, CV>): ChildDefinition<P, CV> {
  return def;
}

export function childAction<Schema extends StandardSchemaV1, P, CV>(
  schema: Schema,
  handler: (props: P, args: StandardSchemaV1.InferOutput<Schema>, caller: Caller, ctx: ChildContext<CV>) => void | Promise<void>,
): ChildAction<P, CV> {
  return { schema, handler: handler as ChildAction<P, CV>["handler"] };
}

/** The slot helper a child renders with: its slots see the child's own viewer state. */
export function childViewer<CV>(def: ChildDefinition<unknown, CV>, key: string): Viewer<CV> {
  return viewerHelper<CV>((a: SlotArg<unknown>) => (Object.hasOwn(a.children, key) ? (a.children[key] as CV) : def.initialViewer()));
}

/** Child keys are the prefix of their actions' names, so they hold no ":". */
export function checkChildKey(key: string): string {
  if (typeof key !== "string" || key.length === 0 || key.length > 64 || key.includes(":")) throw new TypeError(`A child key is 1 to 64 characters without ":", not ${JSON.stringify(String(key).slice(0, 80))}.`);
  return key;
}
