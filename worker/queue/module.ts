import { defineModule } from "../app/module";
import { failedJobRoutes } from "./admin-routes";
import { queueProvider } from "./provider";

/** Jobs on Cloudflare Queues: dispatcher, consumer, failed jobs and their admin routes. */
export const queueModule = defineModule({
  name: "queue",
  providers: [queueProvider],
  routes: failedJobRoutes,
});
