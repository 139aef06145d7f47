/**
 * What the data layer reports. These say what went wrong with the data, not
 * which HTTP status it deserves: the HTTP layer maps them (worker/db/problems.ts),
 * and a job or a Durable Object can handle them without knowing about HTTP.
 */
export abstract class DataError extends Error {}

/** No row with this id. */
export class RecordNotFoundError extends DataError {
  constructor(
    readonly entity: string,
    readonly id: unknown,
  ) {
    super(`No ${entity} with id ${JSON.stringify(id)}.`);
    this.name = "RecordNotFoundError";
  }
}

export type ConstraintKind = "unique" | "foreign-key" | "check" | "not-null";

/** A write that broke a database constraint, naming the fields (schema property names) involved. */
export class ConstraintViolationError extends DataError {
  constructor(
    readonly kind: ConstraintKind,
    readonly fields: readonly string[],
    message: string,
    readonly details: { constraint?: string; cause?: unknown; stillReferenced?: boolean } = {},
  ) {
    super(message, details.cause !== undefined ? { cause: details.cause } : undefined);
    this.name = "ConstraintViolationError";
  }
}

/** A pagination cursor this API did not issue, or issued for another ordering. */
export class InvalidCursorError extends DataError {
  constructor(readonly reason: string) {
    super(`The cursor is not valid: ${reason}.`);
    this.name = "InvalidCursorError";
  }
}
