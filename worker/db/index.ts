export { createDatabase, TransactionsUnsupportedError, type Database } from "./database";
export { Repository, type Row, type NewRow, type Page, type Where, type Operators, type OrderBy } from "./repository";
export { atomic, chunkRows } from "./batch";
export { ConstraintViolationError, translateDbError } from "./errors";
export { InvalidCursorError } from "./cursor";
export { databaseProvider } from "./provider";
export { DATABASE, USERS, ARTICLES } from "./tokens";
export * as schema from "./schema";
