import { token } from "../app/token";
import type { Database } from "./database";

/** The isolate's typed drizzle handle on the `DB` binding. */
export const DATABASE = token<Database>("database");
