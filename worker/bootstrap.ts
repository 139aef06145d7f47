import { Application } from "./app/application";
import { defineModule } from "./app/module";
import { aiModule } from "./ai";

/** The reference application's own routes. */
const home = defineModule({
  name: "home",
  routes(router) {
    router.get("/", (c) => ({ name: c.config.app.name, env: c.config.app.env }), { name: "home" });
    router.get("/health", () => ({ ok: true }), { name: "health" });
  },
});

export const app = new Application({
  modules: [home, aiModule],
  middleware: [],
});
