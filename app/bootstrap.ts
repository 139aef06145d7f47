import { Application, csrf, defaultMiddleware, defineModule, devDashboardModule, rememberMe, session } from "stratus";
import { aiModule } from "stratus/ai";
import { dataModule } from "stratus/db";
import { eventsModule } from "stratus/events";
import { templatingModule } from "stratus/html";
import { liveModule } from "stratus/live";
import { mailModule } from "stratus/mail";
import { queueModule } from "stratus/queue";
import { scheduleModule } from "stratus/schedule";
import { assistantModule } from "../components/assistant/module";
import { demoModule } from "../components/demo/module";
import { config } from "../config/index";
import { apiModule } from "./api/module";
import { authPagesModule } from "./auth/module";
import { repositoriesProvider } from "./db/provider";
import { welcomeModule } from "./welcome/module";

const repositories = defineModule({ name: "repositories", providers: [repositoriesProvider] });

/** The reference application: the framework's modules, then the app's own. */
export const app = new Application({
  config,
  modules: [dataModule, repositories, queueModule, eventsModule, scheduleModule, templatingModule(), welcomeModule, authPagesModule, mailModule(), apiModule, aiModule, liveModule, demoModule, assistantModule, devDashboardModule()],
  // Sessions for the sign-in pages; csrf() guards every cookie-carrying form; rememberMe() signs a returning user back in.
  middleware: [...defaultMiddleware(), session(), csrf(), rememberMe()],
});
