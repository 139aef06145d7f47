/** The schema: one file per table; drizzle-kit generates migrations/ from it. */
export * from "./users";
export * from "./articles";
export * from "./failed-jobs";
export * from "./job-locks";
