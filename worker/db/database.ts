import { drizzle, type DrizzleD1Database } from "drizzle-orm/d1";

/**
 * The typed drizzle handle on D1. `transaction()` is left out: D1 has no
 * interactive transactions, and drizzle's version would send BEGIN, which D1
 * rejects. Atomic multi-statement writes go through `db.batch([...])`.
 */
export type Database = Omit<DrizzleD1Database, "transaction">;

export class TransactionsUnsupportedError extends Error {
  constructor() {
    super("D1 has no interactive transactions: use db.batch([...]) for atomic multi-statement writes.");
    this.name = "TransactionsUnsupportedError";
  }
}

export function createDatabase(d1: D1Database): Database {
  const db = drizzle(d1);
  // The type already hides it; this stops an `as any` caller from getting a half-working transaction.
  Object.defineProperty(db, "transaction", {
    value: () => Promise.reject(new TransactionsUnsupportedError()),
  });
  return db;
}
