import { defineConfig } from "drizzle-kit";

// drizzle-kit 0.31 writes flat migrations/NNNN_name.sql (plus migrations/meta/), the layout both
// `wrangler d1 migrations apply` and the Vitest integration's readD1Migrations read.
// drizzle-kit 1.x writes nested folders instead; scripts/db-generate.mjs refuses that layout.
export default defineConfig({
  dialect: "sqlite",
  schema: "./app/db/schema/index.ts",
  out: "./migrations",
  casing: undefined,
});
