import type { Application } from "../app/application";
import { EnvReader } from "../app/config";
import type { ServiceProvider } from "../app/service-provider";
import { CONFIG, ENV, LOGGER, QUEUE_HANDLER } from "../app/tokens";
import { JobConsumer } from "./consumer";
import { DeadLetterRecorder } from "./dead-letters";
import { JobDispatcher } from "./dispatcher";
import { DATABASE } from "../db/tokens";
import { FailedJobRepository } from "./failed-jobs";
import type { Job } from "./job";
import { JobQueueHandler } from "./queue-handler";
import { JobRegistry } from "./registry";
import { FAILED_JOBS, JOB_CONSUMER, JOB_REGISTRY, JOBS, UNIQUE_LOCKS } from "./tokens";
import { UniqueLocks } from "./unique-locks";

/** Binds the job services and the `queue` entry point (QUEUE_HANDLER). */
export const queueProvider: ServiceProvider = {
  name: "queue",
  register(app: Application) {
    const c = app.container;
    c.singleton(JOB_REGISTRY, () => new JobRegistry());
    c.singleton(JOBS, (c) => {
      const config = c.resolve(CONFIG).queue;
      const queue = new EnvReader(c.resolve(ENV) as unknown as Record<string, unknown>).binding<Queue>(config.binding);
      return new JobDispatcher(queue, c.resolve(JOB_REGISTRY), config);
    });
    c.singleton(FAILED_JOBS, (c) => new FailedJobRepository(c.resolve(DATABASE)));
    c.singleton(UNIQUE_LOCKS, (c) => new UniqueLocks(c.resolve(DATABASE)));
    c.singleton(JOB_CONSUMER, (c) => {
      const config = c.resolve(CONFIG).queue;
      return new JobConsumer({
        registry: c.resolve(JOB_REGISTRY),
        dispatcher: c.resolve(JOBS),
        failed: c.resolve(FAILED_JOBS),
        locks: c.resolve(UNIQUE_LOCKS),
        deadLetters: new EnvReader(c.resolve(ENV) as unknown as Record<string, unknown>).binding<Queue>(config.deadLetterBinding),
        config,
        container: c,
        log: c.resolve(LOGGER).child({ component: "queue" }),
      });
    });
    c.singleton(QUEUE_HANDLER, (c) => {
      const config = c.resolve(CONFIG).queue;
      const recorder = new DeadLetterRecorder(c.resolve(FAILED_JOBS), c.resolve(LOGGER).child({ component: "dead-letters" }));
      return new JobQueueHandler(c.resolve(JOB_CONSUMER), recorder, config.deadLetterQueueName);
    });
  },
  boot(app: Application) {
    const { maxRetries, defaults } = app.config.queue;
    if (defaults.tries > maxRetries + 1) {
      app.log.warn("queue: default tries exceed the consumer's max_retries + 1; jobs are capped", { tries: defaults.tries, maxRetries });
    }
  },
};

/** A provider that registers jobs at boot: `providers: [jobs(sendWelcome, resizeImage)]`. */
export function jobs(...list: Job[]): ServiceProvider {
  return {
    name: `jobs:${list.map((j) => j.name).join(",")}`,
    register() {},
    boot(app) {
      const { maxRetries } = app.config.queue;
      for (const job of list) {
        if (job.tries !== undefined && job.tries > maxRetries + 1) {
          app.log.warn("job declares more tries than the queue consumer's max_retries allows; it is capped", { job: job.name, tries: job.tries, cap: maxRetries + 1 });
        }
      }
      app.resolve(JOB_REGISTRY).register(...list);
    },
  };
}
