import { Application, csrf, defaultMiddleware, defineModule, devDashboardModule, identify, rememberMe, session } from "stratus";
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
import { weatherModule } from "../components/weather/module";
import { weatherStandInModule } from "../components/weather/standin";
import { notepadModule } from "../components/notepad/module";
import { formsModule } from "../components/forms/module";
import { useNewsApp } from "../components/news/desk";
import { newsModule } from "../components/news/module";
import { userProfileModule } from "../components/user-profile/module";
import { config } from "../config/index";
import { accountTokensModule } from "./account/module";
import { apiModule } from "./api/module";
import { gate } from "./auth/gate";
import { authPagesModule } from "./auth/module";
import { repositoriesProvider } from "./db/provider";
import { welcomeModule } from "./welcome/module";

const repositories = defineModule({ name: "repositories", providers: [repositoriesProvider] });

/** The reference application: the framework's modules, then the app's own. */
export const app = new Application({
  config,
  modules: [dataModule, repositories, queueModule, eventsModule, scheduleModule, templatingModule(), welcomeModule, authPagesModule, mailModule(), apiModule, accountTokensModule, aiModule, liveModule, demoModule, formsModule, assistantModule, notepadModule, weatherModule, weatherStandInModule, newsModule, userProfileModule, devDashboardModule()],
  // Sessions; csrf() guards every cookie-carrying write; rememberMe() signs a returning user back in;
  // then identify() says who is asking (the session's user or an API token).
  middleware: [...defaultMiddleware(), session(), csrf(), rememberMe(), identify(gate)],
});

// The News object queues its projection and summaries through this app's jobs and AI.
useNewsApp(app);
