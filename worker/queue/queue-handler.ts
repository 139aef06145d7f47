import type { QueueHandler } from "../app/tokens";
import type { JobConsumer } from "./consumer";
import type { DeadLetterRecorder } from "./dead-letters";

/** The Worker's `queue` entry point: the dead-letter queue to its recorder, every other queue to the job consumer. */
export class JobQueueHandler implements QueueHandler {
  constructor(
    readonly consumer: JobConsumer,
    readonly deadLetters: DeadLetterRecorder,
    readonly deadLetterQueue: string,
  ) {}

  async handle(batch: MessageBatch<unknown>, env: Cloudflare.Env, ctx: ExecutionContext): Promise<void> {
    if (batch.queue === this.deadLetterQueue) await this.deadLetters.handle(batch);
    else await this.consumer.handle(batch, env, ctx);
  }
}
