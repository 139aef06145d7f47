import type { RenderedMail } from "../message";
import type { MailTransport } from "../transport";

/**
 * Production delivery through Cloudflare's `send_email` binding (Email
 * Service / Email Routing). The sender's domain must be set up for it in the
 * dashboard; the binding rejects other senders.
 */
export class SendEmailTransport implements MailTransport {
  readonly name = "send-email";

  constructor(private readonly binding: SendEmail) {}

  async send(mail: RenderedMail): Promise<void> {
    const list = (xs: RenderedMail["to"]) => xs.map((a) => (a.name ? a : a.email));
    await this.binding.send({
      from: mail.from.name ? mail.from : mail.from.email,
      to: list(mail.to),
      ...(mail.cc.length ? { cc: list(mail.cc) } : {}),
      ...(mail.bcc.length ? { bcc: list(mail.bcc) } : {}),
      ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
      subject: mail.subject,
      html: mail.html,
      text: mail.text,
    });
  }
}
