/**
 * The framework's own tables (one file each). An app's drizzle schema
 * re-exports them next to its own tables, so drizzle-kit generates one
 * migration history: `export * from "stratus/db/schema"`.
 */
export * from "./failed-jobs";
export * from "./job-locks";
export * from "./sessions";
export * from "./api-tokens";
