import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { Caller } from "./caller";

/**
 * One action a component accepts: a Standard Schema (zod, valibot, arktype...)
 * for its arguments, and a handler that decides events from the current state.
 * Handlers never mutate state; the events they return are committed, then applied.
 * One handler runs at a time per object: an async handler's awaits hold back the
 * next action until its events are committed, so it never decides on stale state.
 */
export interface ActionDefinition<S, A, E> {
  readonly schema: StandardSchemaV1<unknown, A>;
  readonly handler: (state: S, args: A, caller: Caller) => readonly E[] | Promise<readonly E[]>;
}

export function action<Schema extends StandardSchemaV1, S, E>(
  schema: Schema,
  handler: (state: S, args: StandardSchemaV1.InferOutput<Schema>, caller: Caller) => readonly E[] | Promise<readonly E[]>,
): ActionDefinition<S, StandardSchemaV1.InferOutput<Schema>, E> {
  return { schema: schema as StandardSchemaV1<unknown, StandardSchemaV1.InferOutput<Schema>>, handler };
}

/** The `actions` table of a component. Args are checked by each schema at runtime. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- args differ per action; the schema is the gate
export type Actions<S, E> = Record<string, ActionDefinition<S, any, E>>;

/** An error whose message is safe to show the caller (others become a generic message). */
export class ActionError extends Error {
  override name = "ActionError";
}

export interface Issue {
  path: string;
  message: string;
}

export type Validated<A> = { ok: true; value: A } | { ok: false; issues: Issue[] };

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
