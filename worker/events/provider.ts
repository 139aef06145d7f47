import { ClusterManager } from "../../durable-objects/cluster/cluster-manager";
import type { ServiceProvider } from "../app/service-provider";
import { CONFIG, ENV, LOGGER } from "../app/tokens";
import { JOB_REGISTRY, JOBS } from "../queue/tokens";
import { BROADCAST_JOB } from "./broadcast-job";
import { DurableObjectBroadcaster, LIVE_BROADCASTER } from "./broadcaster";
import { EventDispatcher } from "./dispatcher";
import { EVENTS } from "./tokens";
import { Topics, TOPICS } from "./topics";

/** Binds EVENTS and the default LIVE_BROADCASTER; list it after the queue module's provider. */
export const eventsProvider: ServiceProvider = {
  name: "events",
  register(app) {
    const c = app.container;
    // Another provider may bind its own broadcaster (the component runtime, a test double) first.
    if (!c.has(LIVE_BROADCASTER)) {
      c.singleton(LIVE_BROADCASTER, (c) => {
        const config = c.resolve(CONFIG);
        return new DurableObjectBroadcaster(c.resolve(ENV), config.components.registry, ClusterManager.fromConfig(config.cluster));
      });
    }
    if (!c.has(TOPICS)) c.singleton(TOPICS, (c) => Topics.fromEnv(c.resolve(ENV)));
    c.singleton(EVENTS, (c) => {
      const queued = c.has(JOB_REGISTRY);
      return new EventDispatcher({
        log: c.resolve(LOGGER).child({ component: "events" }),
        ...(queued ? { registry: c.resolve(JOB_REGISTRY), jobs: () => c.resolve(JOBS) } : {}),
        broadcaster: () => c.resolve(LIVE_BROADCASTER),
        topics: () => c.resolve(TOPICS),
      });
    });
  },
  boot(app) {
    if (app.container.has(JOB_REGISTRY)) app.resolve(JOB_REGISTRY).register(BROADCAST_JOB);
  },
};
