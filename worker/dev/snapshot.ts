import type { RequestContext } from "../http/context";
import type { Middleware } from "../http/compose";
import { ROUTER } from "../app/tokens";
import { COMPONENT_REGISTRY } from "../templating/tokens";
import { FAILED_JOBS } from "../queue/tokens";
import type { FailedJob } from "../queue/failed-jobs";
import { seenInstances } from "./instances";
import { recentLogs, type LogLine } from "./recent-logs";

/** What `Component.stats()` answers over RPC. */
export interface ComponentStats {
  seq: number;
  events: number;
  snapshots: number[];
  sockets: number;
  present: number;
  framesSent: number;
}

export interface InstanceView {
  component: string;
  key: string;
  lastConnectAt: number;
  stats: ComponentStats | { error: string };
}

export interface DashboardData {
  env: string;
  middleware: string[];
  routes: { method: string; path: string; name: string | undefined; middleware: string[] }[];
  components: { name: string; instances: InstanceView[] }[];
  failedJobs: FailedJob[] | { error: string };
  logs: LogLine[];
}

import { middlewareName } from "../routing/router";

export { middlewareName };

/** Everything the dashboard shows, read fresh on each request. */
export async function collect(c: RequestContext, globalMiddleware: readonly Middleware[]): Promise<DashboardData> {
  const registry = c.resolve(COMPONENT_REGISTRY);
  const seen = seenInstances.list();
  const components = await Promise.all(
    registry.names().map(async (name) => ({
      name,
      instances: await Promise.all(
        seen.filter((i) => i.component === name).map(async (i): Promise<InstanceView> => {
          const stub = registry.stub(name, i.key) as unknown as { stats(): Promise<ComponentStats> };
          try {
            return { ...i, stats: await stub.stats() };
          } catch (err) {
            return { ...i, stats: { error: err instanceof Error ? err.message : String(err) } };
          }
        }),
      ),
    })),
  );
  let failedJobs: DashboardData["failedJobs"];
  try {
    failedJobs = c.container.has(FAILED_JOBS) ? (await c.resolve(FAILED_JOBS).list(20)).items : { error: "the queue module is not installed" };
  } catch (err) {
    failedJobs = { error: err instanceof Error ? err.message : String(err) };
  }
  return {
    env: c.config.app.env,
    middleware: globalMiddleware.map(middlewareName),
    routes: c.resolve(ROUTER).routes.map((r) => ({ method: r.method, path: r.path, name: r.name, middleware: r.middleware.map(middlewareName) })),
    components,
    failedJobs,
    logs: recentLogs.list().slice(0, 50),
  };
}
