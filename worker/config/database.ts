import { defineFrameworkConfig as defineConfig } from "../app/config";

export default defineConfig("database", (env) => ({
  binding: "DB" as const,
  /** D1 allows 100 bound parameters per statement; multi-row writes are chunked under it. */
  maxBoundParameters: 100,
  pageSize: env.int("DB_PAGE_SIZE", 20, { min: 1, max: 500 }),
}));
