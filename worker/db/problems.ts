import { BadRequestError, HttpError, NotFoundError, type FieldError } from "../http/errors";
import { ConstraintViolationError, InvalidCursorError, RecordNotFoundError, type ConstraintKind } from "./data-errors";

const STATUS: Record<ConstraintKind, number> = { unique: 409, "foreign-key": 422, check: 422, "not-null": 422 };

/**
 * The data layer's errors as problems: a missing row is 404, a duplicate 409,
 * a missing reference or failed check 422 (deleting a still-referenced row 409),
 * a bad cursor 400. `errors` has ValidationError's shape so clients handle both alike.
 */
export function dataErrorToHttp(err: unknown): HttpError | undefined {
  if (err instanceof RecordNotFoundError) return new NotFoundError(err.message);
  if (err instanceof InvalidCursorError) {
    return new BadRequestError(err.message, { errors: [{ in: "query", path: "/cursor", message: err.reason }] });
  }
  if (err instanceof ConstraintViolationError) {
    const errors: FieldError[] = err.fields.map((f) => ({ in: "body", path: `/${f}`, message: err.message }));
    const { constraint, stillReferenced } = err.details;
    return new HttpError(stillReferenced ? 409 : STATUS[err.kind], {
      detail: err.message,
      type: `https://stratus.dev/problems/${err.kind}-violation`,
      extensions: { kind: err.kind, errors, ...(constraint ? { constraint } : {}) },
      cause: err,
    });
  }
  return undefined;
}
