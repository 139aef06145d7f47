import type { ServiceProvider } from "../app/service-provider";
import { CONFIG, ENV, LOGGER } from "../app/tokens";
import { createAiManager } from "./standalone";
import { LIVE_BROADCASTER } from "../events/broadcaster";
import type { EventDispatcher } from "../events/dispatcher";
import { EVENTS } from "../events/tokens";
import { JOB_REGISTRY, JOBS } from "../queue/tokens";
import { AiResultDelivery } from "./delivery";
import { aiInferenceJob, queueDispatcher } from "./queue-job";
import { AI, AI_RESULTS } from "./tokens";

export const aiServiceProvider: ServiceProvider = {
  name: "ai",
  register(app) {
    app.container.singleton(AI, (c) => createAiManager(c.resolve(CONFIG).ai, c.resolve(ENV) as unknown as Record<string, unknown>, c.resolve(LOGGER)));
    app.container.singleton(AI_RESULTS, (c) => new AiResultDelivery({
      ...(c.has(EVENTS) ? { events: () => c.resolve(EVENTS) as unknown as EventDispatcher<Record<string, unknown>> } : {}),
      ...(c.has(LIVE_BROADCASTER) ? { broadcaster: () => c.resolve(LIVE_BROADCASTER) } : {}),
    }));
  },
  boot(app) {
    // Fail at boot, not on the first request, when AI_PROVIDERS names something unknown.
    const ai = app.resolve(AI);
    // With the queue module, `ai.queue` runs inference as a job (JOBS is resolved on first use: it reads the binding).
    if (app.container.has(JOB_REGISTRY)) {
      app.resolve(JOB_REGISTRY).register(aiInferenceJob);
      ai.useDispatcher(queueDispatcher(() => app.resolve(JOBS)));
    }
  },
};
