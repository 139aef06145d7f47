import { defineModule } from "../app/module";
import type { Middleware } from "../http/compose";
import { NotFoundError } from "../http/errors";
import { view } from "../templating/view";
import { isDevEnv } from "./environments";
import { dashboardBody, dashboardPage } from "./page";
import { devReloadInjector, devReloadRoutes } from "./reload";
import { collect } from "./snapshot";

/**
 * GET /__stratus: the development dashboard (routes, live instances with their stats, failed
 * jobs, recent log lines), and the reload signal that makes open pages follow an edit
 * (worker/dev/reload.ts). A 404 unless APP_ENV is development or test.
 */
export function devDashboardModule() {
  let globalMiddleware: readonly Middleware[] = [];
  return defineModule({
    name: "dev-dashboard",
    providers: [{ name: "dev-dashboard", register(app) {
      app.use(devReloadInjector());
      globalMiddleware = app.middleware;
    } }],
    routes(router) {
      devReloadRoutes(router);
      router.get(
        "/__stratus",
        async (c) => {
          if (!isDevEnv(c.config.app.env)) throw new NotFoundError(`No route matches GET ${c.url.pathname}.`);
          const data = await collect(c, globalMiddleware);
          return view(c.query.has("fragment") ? dashboardBody(data) : dashboardPage(data), { headers: { "cache-control": "no-store" } });
        },
        { name: "stratus.dashboard" },
      );
    },
  });
}
