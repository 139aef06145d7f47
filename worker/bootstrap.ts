import { aiModule } from "./ai";
import { welcomeModule } from "./welcome/module";
import { apiModule } from "./api/module";
import { dataModule } from "./data-module";
import { Application } from "./app/application";
import { defineModule } from "./app/module";
import { liveModule } from "./routing/live-route";
import { devDashboardModule } from "./dev/module";
import { demoModule } from "../components/demo/module";
import { assistantModule } from "../components/assistant/module";
import { templatingProvider } from "./templating/provider";
import { eventsModule } from "./events/module";
import { queueModule } from "./queue/module";
import { scheduleModule } from "./schedule/module";
import { accessLog, bodyLimit, cors, requestId, securityHeaders } from "./http/middleware/index";

/** Views and live mounts: the render engine, the component registry and `live()`. */
const templating = defineModule({ name: "templating", providers: [templatingProvider()] });

export const app = new Application({
  modules: [dataModule, queueModule, eventsModule, scheduleModule, templating, welcomeModule, apiModule, aiModule, liveModule, demoModule, assistantModule, devDashboardModule()],
  // Outermost first. Errors become responses at the layer that threw, so every
  // layer above (ids, logs, security headers, CORS) still sees and marks them.
  middleware: [requestId(), accessLog(), securityHeaders(), cors(), bodyLimit()],
});
