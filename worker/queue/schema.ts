import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { PayloadIssue } from "./errors";

export type Validation<T> = { ok: true; value: T } | { ok: false; issues: PayloadIssue[] };

/** Runs any Standard Schema (zod, valibot, arktype...) and flattens its issues to JSON-pointer paths. */
export async function validate<S extends StandardSchemaV1>(schema: S, value: unknown): Promise<Validation<StandardSchemaV1.InferOutput<S>>> {
  const result = await schema["~standard"].validate(value);
  if (!result.issues) return { ok: true, value: result.value as StandardSchemaV1.InferOutput<S> };
  return {
    ok: false,
    issues: result.issues.map((issue) => ({
      path: (issue.path ?? []).map((s) => `/${String(typeof s === "object" ? s.key : s)}`).join(""),
      message: issue.message,
    })),
  };
}
