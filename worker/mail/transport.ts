import type { RenderedMail } from "./message";

/** Delivers rendered mail: Cloudflare's send_email binding, the development log, or memory in tests. */
export interface MailTransport {
  readonly name: string;
  send(mail: RenderedMail): Promise<void>;
}
