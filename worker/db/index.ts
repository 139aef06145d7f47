/** `stratus/db`: D1 through drizzle, repositories, atomic batches and the data layer's errors. */
export { createDatabase, TransactionsUnsupportedError, type Database } from "./database";
export { Repository, type Row, type NewRow, type Page, type Where, type Operators, type OrderBy, type RepositoryOptions, type FindManyOptions, type PaginateOptions } from "./repository";
export { atomic, chunkRows } from "./batch";
export { DataError, RecordNotFoundError, ConstraintViolationError, InvalidCursorError, type ConstraintKind } from "./data-errors";
export { translateDbError } from "./errors";
export { dataErrorToHttp } from "./problems";
export { databaseProvider } from "./provider";
export { dataModule } from "./module";
export { DATABASE } from "./tokens";
