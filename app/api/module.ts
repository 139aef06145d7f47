import { defineModule } from "stratus";
import { aiRoutes } from "./ai";
import { articleRoutes } from "./articles";
import { userRoutes } from "./users";

/** The reference app's JSON API over D1 (cached article reads) and Workers AI. */
export const apiModule = defineModule({
  name: "api",
  routes(router) {
    router.group("/api", { name: "api." }, (api) => {
      userRoutes(api);
      articleRoutes(api);
    });
    aiRoutes(router);
  },
});
