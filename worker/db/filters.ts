import { and, eq, gt, gte, inArray, isNotNull, isNull, like, lt, lte, ne, notInArray, or, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { CursorPosition } from "./cursor";

/** Comparison operators for one column; several in one object are ANDed. */
export interface Operators<V> {
  eq?: V;
  ne?: V;
  gt?: NonNullable<V>;
  gte?: NonNullable<V>;
  lt?: NonNullable<V>;
  lte?: NonNullable<V>;
  in?: readonly NonNullable<V>[];
  notIn?: readonly NonNullable<V>[];
  like?: NonNullable<V> extends string ? string : never;
  isNull?: boolean;
}

/** A typed filter: each key a column, its value either the value to match (null: IS NULL) or operators. */
export type Where<Row> = { [K in keyof Row]?: Row[K] | Operators<Row[K]> };

const OPS = new Set(["eq", "ne", "gt", "gte", "lt", "lte", "in", "notIn", "like", "isNull"]);

function isOperators(v: unknown): v is Operators<unknown> {
  if (v === null || typeof v !== "object" || Array.isArray(v) || v instanceof Date) return false;
  const keys = Object.keys(v);
  return keys.length > 0 && keys.every((k) => OPS.has(k));
}

function operatorsSql(col: SQLiteColumn, ops: Operators<unknown>): SQL[] {
  const out: SQL[] = [];
  if (ops.eq !== undefined) out.push(ops.eq === null ? isNull(col) : eq(col, ops.eq));
  if (ops.ne !== undefined) out.push(ops.ne === null ? isNotNull(col) : ne(col, ops.ne));
  if (ops.gt !== undefined) out.push(gt(col, ops.gt));
  if (ops.gte !== undefined) out.push(gte(col, ops.gte));
  if (ops.lt !== undefined) out.push(lt(col, ops.lt));
  if (ops.lte !== undefined) out.push(lte(col, ops.lte));
  // An empty IN list matches nothing (and NOT IN everything); drizzle renders both correctly.
  if (ops.in !== undefined) out.push(inArray(col, [...ops.in]));
  if (ops.notIn !== undefined) out.push(notInArray(col, [...ops.notIn]));
  if (ops.like !== undefined) out.push(like(col, ops.like as string));
  if (ops.isNull !== undefined) out.push(ops.isNull ? isNull(col) : isNotNull(col));
  return out;
}

/** Builds the WHERE for a typed filter; unknown keys are an error, not a silently ignored condition. */
export function whereSql(columns: Record<string, SQLiteColumn>, where: Record<string, unknown> | undefined): SQL | undefined {
  if (!where) return undefined;
  const parts: SQL[] = [];
  for (const [key, v] of Object.entries(where)) {
    if (v === undefined) continue;
    const col = columns[key];
    if (!col) throw new Error(`Unknown column "${key}" in filter.`);
    if (isOperators(v)) parts.push(...operatorsSql(col, v));
    else parts.push(v === null ? isNull(col) : eq(col, v));
  }
  return parts.length > 0 ? and(...parts) : undefined;
}

/**
 * Rows strictly after `after` in (column, id) order. SQLite sorts NULL first
 * ascending and last descending, so NULL positions need their own branch.
 */
export function keysetSql(col: SQLiteColumn, id: SQLiteColumn, after: CursorPosition): SQL | undefined {
  const { value, direction, id: lastId } = after;
  if (direction === "asc") {
    if (value === null) return or(and(isNull(col), gt(id, lastId)), isNotNull(col));
    return or(gt(col, value), and(eq(col, value), gt(id, lastId)));
  }
  if (value === null) return and(isNull(col), lt(id, lastId));
  return or(lt(col, value), and(eq(col, value), lt(id, lastId)), isNull(col));
}
