/** The app's drizzle schema, one file per table, plus the framework's own tables: drizzle-kit generates migrations/ from it. */
export * from "stratus/db/schema";
export * from "./users";
export * from "./articles";
export * from "./weather-views";
export * from "./oauth-accounts";
export * from "./news-stories";
