import { apiModule } from "./api/module";
import { Application } from "./app/application";
import { defineModule } from "./app/module";
import { liveModule } from "./routing/live-route";
import { demoModule } from "../components/demo/module";
import { templatingProvider } from "./templating/provider";

/** The reference application's own routes. */
const home = defineModule({
  name: "home",
  providers: [templatingProvider()],
  routes(router) {
    router.get("/", (c) => ({ name: c.config.app.name, env: c.config.app.env }), { name: "home" });
    router.get("/health", () => ({ ok: true }), { name: "health" });
  },
});

export const app = new Application({
  modules: [home, apiModule, liveModule, demoModule],
  middleware: [],
});
