import type { Template } from "../templating/html";

export type Address = string | { name: string; email: string };

/** A mail as an app writes it: the body is an `html` template, rendered when sent. */
export interface Mail {
  to: Address | Address[];
  subject: string;
  html: Template;
  /** Plain-text part; derived from the HTML when absent. */
  text?: string;
  /** Defaults to config/mail.ts's `from`. */
  from?: Address;
  replyTo?: Address;
  cc?: Address[];
  bcc?: Address[];
}

/** A mail ready for a transport: plain JSON, so it can also travel in a queued job. */
export interface RenderedMail {
  from: { name: string; email: string };
  to: { name: string; email: string }[];
  cc: { name: string; email: string }[];
  bcc: { name: string; email: string }[];
  replyTo?: { name: string; email: string };
  subject: string;
  html: string;
  text: string;
}
