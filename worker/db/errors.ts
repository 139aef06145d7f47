import { getTableColumns, getTableName } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import { ConstraintViolationError, DataError } from "./data-errors";

export { ConstraintViolationError, type ConstraintKind } from "./data-errors";

/** Tables that repositories manage, by SQL name, so a constraint failure can name the schema's field. */
const tablesByName = new Map<string, SQLiteTable>();

/** Called by each Repository: the app's tables are not known to the framework until then. */
export function registerTable(table: SQLiteTable): void {
  tablesByName.set(getTableName(table), table);
}

/** SQL column name -> schema property name, so problems speak the API's field names. */
export function fieldName(tableName: string, columnName: string): string {
  const table = tablesByName.get(tableName);
  if (!table) return columnName;
  for (const [key, col] of Object.entries(getTableColumns(table))) if (col.name === columnName) return key;
  return columnName;
}

/** Every message down the cause chain: drizzle wraps D1's error in DrizzleQueryError. */
function messages(err: unknown): string {
  const out: string[] = [];
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) out.push(e.message);
  return out.join("\n");
}

function qualifiedFields(list: string): string[] {
  return list.split(",").map((s) => s.trim()).filter(Boolean).map((q) => {
    const [table = "", column = q] = q.split(".");
    return fieldName(table, column);
  });
}

/** `<table>_<column>_<rule>`: the longest column name that fits wins (author_id over author). */
function fieldOfCheck(constraint: string): string[] {
  for (const [tableName, table] of tablesByName) {
    if (!constraint.startsWith(`${tableName}_`)) continue;
    const rest = constraint.slice(tableName.length + 1);
    const cols = Object.values(getTableColumns(table)).map((c) => c.name).sort((a, b) => b.length - a.length);
    const col = cols.find((c) => rest === c || rest.startsWith(`${c}_`));
    if (col) return [fieldName(tableName, col)];
  }
  return [];
}

export interface TranslateHints {
  /** Fields whose references were checked and found missing (for foreign-key failures on write). */
  missingReferences?: readonly string[];
  /** The write was a delete: a foreign-key failure then means the row is still referenced. */
  deleting?: boolean;
}

/**
 * Turns a SQLite constraint failure reported by D1 into a ConstraintViolationError;
 * returns anything else unchanged so real faults stay 500s.
 */
export function translateDbError(err: unknown, hints: TranslateHints = {}): unknown {
  if (err instanceof DataError) return err;
  const text = messages(err);
  let m = /UNIQUE constraint failed: ([\w.,\s]+?)(?::\s*SQLITE|$|\n)/m.exec(text);
  if (m?.[1]) {
    const fields = qualifiedFields(m[1]);
    return new ConstraintViolationError("unique", fields, `${fields.join(", ")} is already taken.`, { cause: err });
  }
  if (/FOREIGN KEY constraint failed/.test(text)) {
    if (hints.deleting) {
      return new ConstraintViolationError("foreign-key", [], "This record is still referenced by other records.", { stillReferenced: true, cause: err });
    }
    const fields = [...(hints.missingReferences ?? [])];
    const detail = fields.length > 0 ? `${fields.join(", ")} refers to a record that does not exist.` : "A referenced record does not exist.";
    return new ConstraintViolationError("foreign-key", fields, detail, { cause: err });
  }
  m = /CHECK constraint failed: (\w+)/.exec(text);
  if (m?.[1]) {
    const fields = fieldOfCheck(m[1]);
    const detail = fields.length > 0 ? `${fields.join(", ")} is not valid (${m[1]}).` : `The check ${m[1]} failed.`;
    return new ConstraintViolationError("check", fields, detail, { constraint: m[1], cause: err });
  }
  m = /NOT NULL constraint failed: ([\w.]+)/.exec(text);
  if (m?.[1]) {
    const fields = qualifiedFields(m[1]);
    return new ConstraintViolationError("not-null", fields, `${fields.join(", ")} is required.`, { cause: err });
  }
  return err;
}
