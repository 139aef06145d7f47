import { aiModule } from "./ai";
import { apiModule } from "./api/module";
import { dataModule } from "./data-module";
import { Application } from "./app/application";
import { defineModule } from "./app/module";
import { liveModule } from "./routing/live-route";
import { demoModule } from "../components/demo/module";
import { assistantModule } from "../components/assistant/module";
import { templatingProvider } from "./templating/provider";
import { eventsModule } from "./events/module";
import { queueModule } from "./queue/module";
import { scheduleModule } from "./schedule/module";
import { accessLog, bodyLimit, cors, requestId, securityHeaders } from "./http/middleware/index";

/** The reference application's own routes. */
const home = defineModule({
  name: "home",
  providers: [templatingProvider()],
  routes(router) {
    router.get("/", (c) => ({ name: c.config.app.name, env: c.config.app.env }), { name: "home" });
    router.get("/health", () => ({ ok: true }), { name: "health" });
    router.get("/hello/:name", (c) => ({ hello: c.params.name }), { name: "hello" });
  },
});

export const app = new Application({
  modules: [dataModule, queueModule, eventsModule, scheduleModule, home, apiModule, aiModule, liveModule, demoModule, assistantModule],
  // Outermost first. Errors become responses at the layer that threw, so every
  // layer above (ids, logs, security headers, CORS) still sees and marks them.
  middleware: [requestId(), accessLog(), securityHeaders(), cors(), bodyLimit()],
});
