import { Application, defaultMiddleware, defineModule, devDashboardModule } from "stratus";
import { aiModule } from "stratus/ai";
import { dataModule } from "stratus/db";
import { eventsModule } from "stratus/events";
import { templatingModule } from "stratus/html";
import { liveModule } from "stratus/live";
import { queueModule } from "stratus/queue";
import { scheduleModule } from "stratus/schedule";
import { assistantModule } from "../components/assistant/module";
import { demoModule } from "../components/demo/module";
import { formsModule } from "../components/forms/module";
import { config } from "../config/index";
import { apiModule } from "./api/module";
import { repositoriesProvider } from "./db/provider";
import { welcomeModule } from "./welcome/module";

const repositories = defineModule({ name: "repositories", providers: [repositoriesProvider] });

/** The reference application: the framework's modules, then the app's own. */
export const app = new Application({
  config,
  modules: [dataModule, repositories, queueModule, eventsModule, scheduleModule, templatingModule(), welcomeModule, apiModule, aiModule, liveModule, demoModule, formsModule, assistantModule, devDashboardModule()],
  middleware: defaultMiddleware(),
});
