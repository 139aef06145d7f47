import type { Logger } from "../http/logger";
import { isDeadLetter, parseEnvelope } from "./envelope";
import type { FailedJobRepository } from "./failed-jobs";

/**
 * Reads the dead-letter queue. Messages the consumer forwarded are already in
 * failed_jobs and only get `dead_lettered_at`; messages the runtime moved there
 * on its own (the consumer crashed, or hit a limit, on every try) are recorded
 * here, so no job disappears without a row.
 */
export class DeadLetterRecorder {
  readonly #failed: FailedJobRepository;
  readonly #log: Logger;

  constructor(failed: FailedJobRepository, log: Logger) {
    this.#failed = failed;
    this.#log = log;
  }

  async handle(batch: MessageBatch<unknown>): Promise<void> {
    for (const message of batch.messages) {
      try {
        await this.#failed.markDeadLettered(this.#record(message, batch.queue));
        message.ack();
      } catch (err) {
        this.#log.error("could not record a dead letter; it will be redelivered", { error: err, messageId: message.id });
        message.retry({ delaySeconds: 10 });
      }
    }
  }

  #record(message: Message<unknown>, queue: string) {
    const letter = isDeadLetter(message.body) ? message.body : undefined;
    const body = letter ? letter.body : message.body;
    const parsed = parseEnvelope(body);
    const envelope = parsed.ok ? parsed.envelope : undefined;
    return {
      uuid: letter?.uuid ?? envelope?.id ?? message.id,
      job: envelope?.job ?? "(unknown)",
      queue,
      payload: envelope ? envelope.payload : body,
      envelope: body,
      reason: "dead-lettered" as const,
      error: "The runtime moved this message to the dead-letter queue after its consumer's max_retries.",
      attempts: message.attempts,
    };
  }
}
