import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { Caller } from "./caller";
import type { ActionContext } from "./viewer/action-context";

/**
 * One action a component accepts: a Standard Schema (zod, valibot, arktype...)
 * for its arguments, and a handler that decides events from the current state.
 * Handlers never mutate state; the events they return are committed, then applied.
 * One handler runs at a time per object: an async handler's awaits hold back the
 * next action until its events are committed, so it never decides on stale state.
 */
export interface ActionDefinition<S, A, E, V = unknown> {
  readonly schema: StandardSchemaV1<unknown, A>;
  readonly handler: Handler<S, A, E, V>;
  /** A submit: the args are the viewer's bound form fields with the frame's args over them. */
  readonly form?: true;
}

/** Decides events; the fourth argument is the acting viewer (state, form, effects). */
export type Handler<S, A, E, V> = (state: S, args: A, caller: Caller, ctx: ActionContext<V>) => readonly E[] | Promise<readonly E[]>;

export function action<Schema extends StandardSchemaV1, S, E, V = unknown>(
  schema: Schema,
  handler: Handler<S, StandardSchemaV1.InferOutput<Schema>, E, V>,
): ActionDefinition<S, StandardSchemaV1.InferOutput<Schema>, E, V> {
  return { schema: schema as StandardSchemaV1<unknown, StandardSchemaV1.InferOutput<Schema>>, handler };
}

/**
 * A form's submit action: validates the acting viewer's whole bound form (its `data-model`
 * fields, with the submitted args over them) with `schema`, so the handler receives the whole
 * validated form. Invalid: an `invalid_args` error with issues, and every field's errors rendered.
 */
export function submit<Schema extends StandardSchemaV1, S, E, V = unknown>(
  schema: Schema,
  handler: Handler<S, StandardSchemaV1.InferOutput<Schema>, E, V>,
): ActionDefinition<S, StandardSchemaV1.InferOutput<Schema>, E, V> {
  return { ...action(schema, handler), form: true };
}

/**
 * The `actions` table of a component. Args are checked by each schema at runtime. A handler that
 * uses the viewer names its type (`ctx: ActionContext<Draft>`); one that does not leaves it unknown.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- args differ per action; the schema is the gate
export type Actions<S, E, V = unknown> = Record<string, ActionDefinition<S, any, E, V> | ActionDefinition<S, any, E, unknown>>;

/** An error whose message is safe to show the caller (others become a generic message). */
export class ActionError extends Error {
  override name = "ActionError";
}

export interface Issue {
  path: string;
  message: string;
}

export type Validated<A> = { ok: true; value: A } | { ok: false; issues: Issue[] };

/** Messages by field: the first segment of each issue's path ("" for issues about the whole value). */
export function errorsByField(issues: readonly Issue[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const i of issues) {
    const field = i.path.split("/")[1] ?? "";
    (out[field] ??= []).push(i.message);
  }
  return out;
}

export async function validateArgs<A>(schema: StandardSchemaV1<unknown, A>, args: unknown): Promise<Validated<A>> {
  let result = schema["~standard"].validate(args);
  if (result instanceof Promise) result = await result;
  if (!result.issues) return { ok: true, value: result.value };
  return {
    ok: false,
    issues: result.issues.map((i) => ({
      path: "/" + (i.path ?? []).map((p) => String(typeof p === "object" ? p.key : p)).join("/"),
      message: i.message,
    })),
  };
}
