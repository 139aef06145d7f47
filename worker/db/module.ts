import { defineModule } from "../app/module";
import { cacheProvider } from "../cache/provider";
import { databaseProvider } from "./provider";

/** The storage services every other module builds on: D1 through drizzle, and the cache. */
export const dataModule = defineModule({
  name: "data",
  providers: [databaseProvider, cacheProvider],
});
