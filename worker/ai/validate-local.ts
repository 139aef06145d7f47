// Temporary: JSON body parsing and Standard Schema validation for the AI
// routes until the shared validation middleware (feat-http) lands. One file,
// so the lead can swap it for `c.valid.body` at merge.
import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { RequestContext } from "../http/context";
import { BadRequestError, PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError, type FieldError } from "../http/errors";

export async function validBody<S extends StandardSchemaV1>(c: RequestContext, schema: S): Promise<StandardSchemaV1.InferOutput<S>> {
  const type = c.request.headers.get("content-type") ?? "";
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(type)) throw new UnsupportedMediaTypeError("application/json");
  const limit = c.config.app.http.maxBodyBytes;
  const declared = Number(c.request.headers.get("content-length") ?? "0");
  if (declared > limit) throw new PayloadTooLargeError(limit);
  const raw = await c.request.text();
  if (new TextEncoder().encode(raw).byteLength > limit) throw new PayloadTooLargeError(limit);
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw new BadRequestError("The request body is not valid JSON.");
  }
  const result = await schema["~standard"].validate(body);
  if (result.issues) throw new ValidationError(result.issues.map((i) => toFieldError(i)));
  return result.value;
}

function toFieldError(issue: StandardSchemaV1.Issue): FieldError {
  const path = (issue.path ?? []).map((p) => String(typeof p === "object" ? p.key : p)).join("/");
  return { in: "body", path: `/${path}`, message: issue.message };
}
