import { Application, defaultMiddleware, defineModule } from "stratus";
import { dataModule } from "stratus/db";
import { templatingModule } from "stratus/html";
import { liveModule } from "stratus/live";
import { jobs, queueModule } from "stratus/queue";
import { config } from "../config/index";
import { repositoriesProvider } from "./db/provider";
import { recordNoteJob } from "./jobs/record-note";
import { homePage } from "./pages/home";

/** The app's own services and jobs (`stratus make:job` registers new jobs here). */
const appModule = defineModule({ name: "app", providers: [repositoriesProvider, jobs(recordNoteJob)] });

export const app = new Application({
  config,
  // Framework modules first, then the app's pages (`stratus make:page` adds to this list).
  modules: [dataModule, queueModule, templatingModule(), liveModule, appModule, homePage],
  middleware: defaultMiddleware(),
});
