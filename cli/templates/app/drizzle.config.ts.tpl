import { defineConfig } from "drizzle-kit";

// `npm run db:generate` writes flat migrations/NNNN_name.sql, which wrangler and the tests apply.
export default defineConfig({
  dialect: "sqlite",
  schema: "./app/db/schema/index.ts",
  out: "./migrations",
});
