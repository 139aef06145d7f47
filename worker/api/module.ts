import { defineModule } from "../app/module";
import { articleRoutes } from "./articles";
import { userRoutes } from "./users";

/** The reference app's JSON API over D1, with cached article reads. */
export const apiModule = defineModule({
  name: "api",
  routes(router) {
    router.group("/api", { name: "api." }, (api) => {
      userRoutes(api);
      articleRoutes(api);
    });
  },
});
