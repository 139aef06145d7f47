import { and, asc, count, desc, eq, getTableColumns, inArray, sql, type InferInsertModel, type InferSelectModel, type SQL } from "drizzle-orm";
import { getTableConfig, type AnySQLiteColumn, type SQLiteColumn, type SQLiteTable } from "drizzle-orm/sqlite-core";
import { RecordNotFoundError } from "./data-errors";
import { chunkRows } from "./batch";
import { decodeCursor, encodeCursor, InvalidCursorError, type CursorValue, type SortDirection } from "./cursor";
import type { Database } from "./database";
import { registerTable, translateDbError } from "./errors";
import { keysetSql, whereSql, type Where } from "./filters";

export type { Operators, Where } from "./filters";

/** A table the repository can manage: it must have an `id` primary key. */
export type Table = SQLiteTable & { id: AnySQLiteColumn };
export type Row<T extends Table> = InferSelectModel<T>;
export type NewRow<T extends Table> = InferInsertModel<T>;
type Id<T extends Table> = Row<T> extends { id: infer I } ? I : never;

export interface OrderBy<R> {
  column: keyof R & string;
  direction?: SortDirection;
}

export interface FindManyOptions<R> {
  where?: Where<R> | SQL;
  orderBy?: OrderBy<R> | readonly OrderBy<R>[];
  limit?: number;
  offset?: number;
}

export interface PaginateOptions<R> {
  where?: Where<R> | SQL;
  /** One sort column; `id` breaks ties so the order is total and the keyset stable. */
  orderBy?: OrderBy<R>;
  limit?: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string | null;
}

export interface Page<R> {
  items: R[];
  /** Pass back for the next page; null on the last one. */
  nextCursor: string | null;
}

export interface RepositoryOptions<R> {
  /** Singular name for problems: "user" -> "No user with id ...". */
  entity?: string;
  defaultOrder?: OrderBy<R>;
  pageSize?: number;
  maxPageSize?: number;
  /** D1's limit of bound parameters per statement. */
  maxBoundParameters?: number;
}

/**
 * Typed data access for one table on D1. Reads take typed filters; writes
 * translate constraint failures into problems (409/422) and report a missing
 * row as 404. Pagination is keyset on (sort column, id): rows inserted while a
 * client pages never shift, duplicate or hide the rows it has not seen yet.
 */
export class Repository<T extends Table> {
  readonly entity: string;
  readonly #columns: Record<string, SQLiteColumn>;
  readonly #order: OrderBy<Row<T>>;
  readonly #pageSize: number;
  readonly #maxPageSize: number;
  readonly #maxParams: number;

  constructor(
    protected readonly db: Database,
    protected readonly table: T,
    options: RepositoryOptions<Row<T>> = {},
  ) {
    registerTable(table);
    this.#columns = getTableColumns(table) as Record<string, SQLiteColumn>;
    this.entity = options.entity ?? getTableConfig(table).name.replace(/s$/, "");
    this.#order = options.defaultOrder ?? { column: "id" as keyof Row<T> & string, direction: "asc" };
    this.#pageSize = options.pageSize ?? 20;
    this.#maxPageSize = options.maxPageSize ?? 100;
    this.#maxParams = options.maxBoundParameters ?? 100;
  }

  // Drizzle's builders are generic over concrete tables; inside this generic class they are used through these views.
  get #t(): SQLiteTable { return this.table; }
  get #id(): SQLiteColumn { return this.table.id as SQLiteColumn; }

  async find(id: Id<T>): Promise<Row<T> | undefined> {
    const rows = await this.db.select().from(this.#t).where(eq(this.#id, id)).limit(1);
    return rows[0] as Row<T> | undefined;
  }

  async findOrFail(id: Id<T>): Promise<Row<T>> {
    const row = await this.find(id);
    if (!row) throw this.notFound(id);
    return row;
  }

  /** The first row matching the filter. */
  async findBy(where: Where<Row<T>> | SQL): Promise<Row<T> | undefined> {
    return (await this.findMany({ where, limit: 1 }))[0];
  }

  async findMany(options: FindManyOptions<Row<T>> = {}): Promise<Row<T>[]> {
    // Without an orderBy the repository's order applies, as in paginate: SQL promises no order otherwise.
    const orders = options.orderBy === undefined ? [this.#order] : Array.isArray(options.orderBy) ? options.orderBy : [options.orderBy as OrderBy<Row<T>>];
    let q = this.db.select().from(this.#t).where(this.#where(options.where)).orderBy(...orders.map((o) => this.#sort(o))).$dynamic();
    if (options.limit !== undefined) q = q.limit(options.limit);
    if (options.offset !== undefined) q = q.offset(options.offset);
    return (await q) as Row<T>[];
  }

  async count(where?: Where<Row<T>> | SQL): Promise<number> {
    const [row] = await this.db.select({ n: count() }).from(this.#t).where(this.#where(where));
    return row?.n ?? 0;
  }

  async paginate(options: PaginateOptions<Row<T>> = {}): Promise<Page<Row<T>>> {
    const order = options.orderBy ?? this.#order;
    const direction = order.direction ?? "asc";
    const col = this.#column(order.column);
    const limit = Math.min(Math.max(1, Math.floor(options.limit ?? this.#pageSize)), this.#maxPageSize);
    let after: SQL | undefined;
    if (options.cursor) {
      const pos = decodeCursor(options.cursor);
      if (pos.column !== order.column || pos.direction !== direction) {
        throw new InvalidCursorError(`it was issued for ordering by ${pos.column} ${pos.direction}, not ${order.column} ${direction}`);
      }
      after = keysetSql(col, this.#id, pos);
    }
    const dir = direction === "asc" ? asc : desc;
    const rows = (await this.db
      .select()
      .from(this.#t)
      .where(and(this.#where(options.where), after))
      .orderBy(dir(col), dir(this.#id))
      .limit(limit + 1)) as Row<T>[];
    const items = rows.slice(0, limit);
    const last = items.at(-1) as Record<string, unknown> | undefined;
    const nextCursor =
      rows.length > limit && last
        ? encodeCursor({ column: order.column, direction, value: last[order.column] as CursorValue, id: last.id as string | number })
        : null;
    return { items, nextCursor };
  }

  async create(values: NewRow<T>): Promise<Row<T>> {
    return this.#write([values], async () => {
      const rows = await this.db.insert(this.#t).values(values as Record<string, unknown>).returning();
      return rows[0] as Row<T>;
    });
  }

  /** Inserts many rows atomically: chunked under the bound-parameter limit, all chunks in one batch. */
  async createMany(values: readonly NewRow<T>[]): Promise<Row<T>[]> {
    if (values.length === 0) return [];
    const chunks = chunkRows(values, Object.keys(this.#columns).length, this.#maxParams);
    const statements = chunks.map((c) => this.db.insert(this.#t).values(c as Record<string, unknown>[]).returning());
    return this.#write(values, async () => {
      const results = await this.db.batch(statements as [(typeof statements)[number], ...(typeof statements)[number][]]);
      return results.flat() as Row<T>[];
    });
  }

  async update(id: Id<T>, patch: Partial<NewRow<T>>): Promise<Row<T>> {
    const set = Object.fromEntries(Object.entries(patch).filter(([k, v]) => v !== undefined && k !== "id"));
    if (Object.keys(set).length === 0) return this.findOrFail(id);
    const rows = await this.#write([patch], () => this.db.update(this.#t).set(set).where(eq(this.#id, id)).returning());
    if (!rows[0]) throw this.notFound(id);
    return rows[0] as Row<T>;
  }

  async delete(id: Id<T>): Promise<void> {
    let rows: unknown[];
    try {
      rows = await this.db.delete(this.#t).where(eq(this.#id, id)).returning({ id: this.#id });
    } catch (err) {
      throw translateDbError(err, { deleting: true });
    }
    if (rows.length === 0) throw this.notFound(id);
  }

  /**
   * Inserts, or on conflict with `target` (a unique column set) updates the
   * given fields (default: every field passed except id and the target).
   */
  async upsert(values: NewRow<T>, options: { target: readonly (keyof Row<T> & string)[]; update?: readonly (keyof NewRow<T> & string)[] }): Promise<Row<T>> {
    const target = options.target.map((k) => this.#column(k));
    const record = values as Record<string, unknown>;
    const keys = options.update ?? Object.keys(record).filter((k) => k !== "id" && !options.target.includes(k as keyof Row<T> & string));
    const set: Record<string, unknown> = Object.fromEntries(keys.filter((k) => record[k] !== undefined).map((k) => [k, record[k]]));
    // Nothing to change still needs a DO UPDATE, or RETURNING yields no row on conflict.
    if (Object.keys(set).length === 0) set[options.target[0]!] = sql.raw(`excluded."${target[0]!.name}"`);
    return this.#write([values], async () => {
      const rows = await this.db.insert(this.#t).values(record).onConflictDoUpdate({ target, set }).returning();
      return rows[0] as Row<T>;
    });
  }

  protected notFound(id: unknown): RecordNotFoundError {
    return new RecordNotFoundError(this.entity, id);
  }

  #column(key: string): SQLiteColumn {
    const col = this.#columns[key];
    if (!col) throw new Error(`Unknown column "${key}" on ${getTableConfig(this.table).name}.`);
    return col;
  }

  #sort(o: OrderBy<Row<T>>): SQL {
    return (o.direction === "desc" ? desc : asc)(this.#column(o.column));
  }

  #where(where: Where<Row<T>> | SQL | undefined): SQL | undefined {
    if (where === undefined) return undefined;
    if (isSql(where)) return where;
    return whereSql(this.#columns, where as Record<string, unknown>);
  }

  async #write<R>(values: readonly unknown[], run: () => Promise<R>): Promise<R> {
    try {
      return await run();
    } catch (err) {
      const translated = translateDbError(err);
      if (translated === err || (translated as { kind?: string }).kind !== "foreign-key") throw translated;
      throw translateDbError(err, { missingReferences: await this.#missingReferences(values as Record<string, unknown>[]) });
    }
  }

  /** SQLite does not say which foreign key failed; look the referenced rows up to name the field. */
  async #missingReferences(rows: readonly Record<string, unknown>[]): Promise<string[]> {
    const missing: string[] = [];
    for (const fk of getTableConfig(this.table).foreignKeys) {
      const ref = fk.reference();
      const [local] = ref.columns;
      const [foreign] = ref.foreignColumns;
      if (ref.columns.length !== 1 || !local || !foreign) continue;
      const key = Object.entries(this.#columns).find(([, c]) => c === local)?.[0];
      if (!key) continue;
      const wanted = [...new Set(rows.map((r) => r[key]).filter((v) => v !== undefined && v !== null))];
      if (wanted.length === 0) continue;
      const found = await this.db.select({ v: foreign }).from(ref.foreignTable).where(inArray(foreign, wanted));
      if (found.length < wanted.length) missing.push(key);
    }
    return missing;
  }
}

function isSql(v: unknown): v is SQL {
  return typeof v === "object" && v !== null && "queryChunks" in v;
}
