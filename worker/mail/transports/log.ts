import type { Logger } from "../../http/logger";
import type { RenderedMail } from "../message";
import type { MailTransport } from "../transport";

export interface LoggedMail {
  id: string;
  sentAt: number;
  mail: RenderedMail;
}

/**
 * Development delivery: nothing leaves the machine. Each mail is logged and
 * kept (the last `capacity`, in this isolate) for the development-only route
 * GET /__stratus/mail, where a reset link can be clicked.
 */
export class LogTransport implements MailTransport {
  readonly name = "log";
  readonly #kept: LoggedMail[] = [];

  constructor(private readonly log: Logger, private readonly capacity = 50) {}

  async send(mail: RenderedMail): Promise<void> {
    const entry = { id: crypto.randomUUID(), sentAt: Date.now(), mail };
    this.#kept.unshift(entry);
    this.#kept.length = Math.min(this.#kept.length, this.capacity);
    this.log.info("mail (log driver: not delivered)", { id: entry.id, to: mail.to.map((a) => a.email), subject: mail.subject, text: mail.text });
  }

  list(): readonly LoggedMail[] {
    return this.#kept;
  }

  find(id: string): LoggedMail | undefined {
    return this.#kept.find((e) => e.id === id);
  }
}
