import type { BatchItem, BatchResponse } from "drizzle-orm/batch";
import type { Database } from "./database";
import { translateDbError } from "./errors";

/**
 * Runs statements atomically with `db.batch`: D1 executes a batch as one
 * transaction, so if any statement fails none of them is kept. Constraint
 * failures come back as ConstraintViolationError (409/422), like repository writes.
 */
export async function atomic<U extends BatchItem<"sqlite">, T extends Readonly<[U, ...U[]]>>(
  db: Database,
  statements: T,
): Promise<BatchResponse<T>> {
  try {
    return await db.batch(statements);
  } catch (err) {
    throw translateDbError(err);
  }
}

/** Splits rows so each multi-row INSERT stays under D1's bound-parameter limit per statement. */
export function chunkRows<R>(rows: readonly R[], paramsPerRow: number, maxParams = 100): R[][] {
  const size = Math.max(1, Math.floor(maxParams / Math.max(1, paramsPerRow)));
  const out: R[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}
