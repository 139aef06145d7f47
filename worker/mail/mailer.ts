import type { DispatchOptions, JobDispatcher } from "../queue/dispatcher";
import type { Address, Mail, RenderedMail } from "./message";
import { renderMail } from "./render";
import { sendMailJob } from "./job";
import type { MailTransport } from "./transport";
import { LogTransport } from "./transports/log";
import { MemoryTransport } from "./transports/memory";

/** The mail manager: renders a Mail once and hands it to the configured transport, now or through the queue. */
export class Mailer {
  constructor(
    readonly transport: MailTransport,
    private readonly from: Address,
    private readonly jobs: () => JobDispatcher,
  ) {}

  async send(mail: Mail): Promise<RenderedMail> {
    const rendered = renderMail(mail, this.from);
    await this.transport.send(rendered);
    return rendered;
  }

  /** Sends from a queue consumer (retried with backoff), so a slow or failing mail service never holds up a response. */
  async queue(mail: Mail, options: DispatchOptions = {}): Promise<{ id: string }> {
    return this.jobs().dispatch(sendMailJob, renderMail(mail, this.from), options);
  }

  /** Delivers an already rendered mail (the queued job's side). */
  deliver(mail: RenderedMail): Promise<void> {
    return this.transport.send(mail);
  }

  /** The in-memory transport, for assertions in tests (MAIL_DRIVER=memory). */
  outbox(): MemoryTransport {
    if (!(this.transport instanceof MemoryTransport)) throw new Error(`mailer.outbox() needs MAIL_DRIVER=memory (the driver is ${this.transport.name}).`);
    return this.transport;
  }

  /** The log transport's kept mail, or undefined with another driver. */
  logged(): LogTransport | undefined {
    return this.transport instanceof LogTransport ? this.transport : undefined;
  }
}
