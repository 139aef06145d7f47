import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { RequestContext } from "../context";
import type { Middleware } from "../compose";
import type { HandlerResult } from "../respond";
import { readJson } from "../body";
import { ValidationError, type FieldError } from "../errors";
import { toResponse } from "../respond";

/** Any Standard Schema (zod, valibot, arktype...) per request part. */
export interface Schemas {
  body?: StandardSchemaV1;
  query?: StandardSchemaV1;
  params?: StandardSchemaV1;
}

/** What a validating handler receives: each part's schema output. */
export type Validated<S extends Schemas> = {
  [K in keyof S]: S[K] extends StandardSchemaV1 ? StandardSchemaV1.InferOutput<S[K]> : never;
};

export type ValidatedHandler<S extends Schemas, P extends Record<string, string>> = (
  c: RequestContext<P>,
  input: Validated<S>,
) => HandlerResult | Promise<HandlerResult>;

type Part = keyof Schemas;
const PARTS: readonly Part[] = ["params", "query", "body"];

/**
 * Validates params, query and JSON body with Standard Schemas. Every failing
 * field of every part is reported in one 422 (`errors: [{ in, path, message }]`).
 *
 * - `validate(schemas)` is middleware: outputs land in `c.valid`.
 * - `validate(schemas, (c, input) => ...)` is a route handler whose `input` is typed.
 */
export function validate<S extends Schemas>(schemas: S): Middleware;
export function validate<S extends Schemas, P extends Record<string, string> = Record<string, string>>(
  schemas: S,
  handler: ValidatedHandler<S, P>,
): (c: RequestContext<P>) => Promise<Response>;
export function validate<S extends Schemas, P extends Record<string, string>>(
  schemas: S,
  handler?: ValidatedHandler<S, P>,
): Middleware | ((c: RequestContext<P>) => Promise<Response>) {
  const parts = PARTS.filter((p) => schemas[p] !== undefined);
  if (handler) {
    return async (c: RequestContext<P>) => {
      const input = await check(schemas, parts, c as unknown as RequestContext);
      return toResponse(await handler(c, input as Validated<S>), c as unknown as RequestContext);
    };
  }
  return async (c: RequestContext, next: () => Promise<Response>) => {
    await check(schemas, parts, c);
    return next();
  };
}

async function check(schemas: Schemas, parts: readonly Part[], c: RequestContext): Promise<Record<Part, unknown>> {
  const results = await Promise.all(
    parts.map(async (part) => schemas[part]!["~standard"].validate(await raw(part, c))),
  );
  const errors: FieldError[] = [];
  const out = {} as Record<Part, unknown>;
  results.forEach((result, i) => {
    const part = parts[i]!;
    if (result.issues) {
      for (const issue of result.issues) errors.push({ in: part, path: pointer(issue.path), message: issue.message });
    } else {
      out[part] = result.value;
      c.valid[part] = result.value;
    }
  });
  if (errors.length > 0) throw new ValidationError(errors);
  return out;
}

function raw(part: Part, c: RequestContext): unknown {
  if (part === "body") return readJson(c);
  if (part === "params") return c.params;
  return queryObject(c.query);
}

/** Single values stay strings; a repeated key becomes an array. */
function queryObject(search: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of search) {
    const prev = out[key];
    out[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}

/** Issue path as a JSON Pointer (RFC 6901): ["tags", 0] -> "/tags/0"; the root is "". */
function pointer(path: StandardSchemaV1.Issue["path"]): string {
  if (!path) return "";
  let out = "";
  for (const seg of path) {
    const key = typeof seg === "object" && seg !== null ? seg.key : seg;
    out += "/" + String(typeof key === "symbol" ? key.description : key).replace(/~/g, "~0").replace(/\//g, "~1");
  }
  return out;
}
