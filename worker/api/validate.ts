// Stand-in for the shared Standard Schema validation middleware (worker/http/middleware/ on
// feat-http). Everything the reference API needs from it lives in this one file, so the swap at
// merge touches only here and the `parseBody`/`parseQuery` calls in the route files.
import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { RequestContext } from "../http/context";
import { BadRequestError, UnsupportedMediaTypeError, ValidationError, type FieldError } from "../http/errors";

function pointer(path: StandardSchemaV1.Issue["path"]): string {
  if (!path || path.length === 0) return "";
  return path.map((p) => "/" + String(typeof p === "object" ? p.key : p).replace(/~/g, "~0").replace(/\//g, "~1")).join("");
}

export async function validate<S extends StandardSchemaV1>(schema: S, input: unknown, where: FieldError["in"]): Promise<StandardSchemaV1.InferOutput<S>> {
  const result = await schema["~standard"].validate(input);
  if (result.issues) throw new ValidationError(result.issues.map((i) => ({ in: where, path: pointer(i.path), message: i.message })));
  return result.value;
}

/** Reads the JSON body (415 if not JSON, 400 if broken) and validates it (422). */
export async function parseBody<S extends StandardSchemaV1>(c: RequestContext, schema: S): Promise<StandardSchemaV1.InferOutput<S>> {
  const type = c.request.headers.get("content-type") ?? "";
  if (!/^application\/([\w.+-]*\+)?json\b/i.test(type)) throw new UnsupportedMediaTypeError("application/json");
  let body: unknown;
  try {
    body = await c.request.json();
  } catch {
    throw new BadRequestError("The request body is not valid JSON.");
  }
  const value = await validate(schema, body, "body");
  c.valid.body = value;
  return value;
}

/** Validates the query string as a flat object of strings (422). */
export async function parseQuery<S extends StandardSchemaV1>(c: RequestContext, schema: S): Promise<StandardSchemaV1.InferOutput<S>> {
  const value = await validate(schema, Object.fromEntries(c.query), "query");
  c.valid.query = value;
  return value;
}
