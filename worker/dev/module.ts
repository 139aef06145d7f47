import { defineModule } from "../app/module";
import { CONFIG } from "../app/tokens";
import type { Middleware } from "../http/compose";
import { view } from "../templating/view";
import { isDevEnv } from "./environments";
import { dashboardBody, dashboardPage } from "./page";
import { devReloadInjector, devReloadRoutes } from "./reload";
import { collect } from "./snapshot";

/**
 * GET /__stratus: the development dashboard (routes, live instances with their stats, failed
 * jobs, recent log lines), and the reload signal that makes open pages follow an edit
 * (worker/dev/reload.ts). Outside development and test none of it is registered: its routes are
 * the router's 404s, and no request pays for a check.
 */
export function devDashboardModule() {
  let enabled = false;
  let globalMiddleware: readonly Middleware[] = [];
  return defineModule({
    name: "dev-dashboard",
    providers: [{ name: "dev-dashboard", register(app) {
      // Providers register before any module's routes, and config is loaded by then.
      enabled = isDevEnv(app.resolve(CONFIG).app.env);
      if (!enabled) return;
      app.use(devReloadInjector());
      globalMiddleware = app.middleware;
    } }],
    routes(router) {
      if (!enabled) return;
      devReloadRoutes(router);
      router.get(
        "/__stratus",
        async (c) => {
          const data = await collect(c, globalMiddleware);
          return view(c.query.has("fragment") ? dashboardBody(data) : dashboardPage(data), { headers: { "cache-control": "no-store" } });
        },
        { name: "stratus.dashboard" },
      );
    },
  });
}
