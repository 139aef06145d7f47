import { Application, csrf, defaultMiddleware, defineModule, devDashboardModule, identify, session } from "stratus";
import { aiModule } from "stratus/ai";
import { dataModule } from "stratus/db";
import { eventsModule } from "stratus/events";
import { templatingModule } from "stratus/html";
import { liveModule } from "stratus/live";
import { queueModule } from "stratus/queue";
import { scheduleModule } from "stratus/schedule";
import { assistantModule } from "../components/assistant/module";
import { demoModule } from "../components/demo/module";
import { notepadModule } from "../components/notepad/module";
import { useNewsApp } from "../components/news/desk";
import { newsModule } from "../components/news/module";
import { weatherModule } from "../components/weather/module";
import { weatherStandInModule } from "../components/weather/standin";
import { config } from "../config/index";
import { accountTokensModule } from "./account/module";
import { apiModule } from "./api/module";
import { gate } from "./auth/gate";
import { repositoriesProvider } from "./db/provider";
import { welcomeModule } from "./welcome/module";

const repositories = defineModule({ name: "repositories", providers: [repositoriesProvider] });

/** The reference application: the framework's modules, then the app's own. */
export const app = new Application({
  config,
  modules: [dataModule, repositories, queueModule, eventsModule, scheduleModule, templatingModule(), welcomeModule, apiModule, accountTokensModule, aiModule, liveModule, demoModule, assistantModule, weatherModule, weatherStandInModule, newsModule, notepadModule, devDashboardModule()],
  // Sessions, then CSRF for cookie-carrying writes, then who is asking (session user or API token).
  middleware: [...defaultMiddleware(), session(), csrf(), identify(gate)],
});

// The News object queues its projection and summaries through this app's jobs and AI.
useNewsApp(app);
