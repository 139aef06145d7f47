/** `stratus/mail`: a mail manager with send_email, log and memory transports; mail written with `html`. */
export type { Address, Mail, RenderedMail } from "./message";
export { renderMail, htmlToText, InvalidMailError } from "./render";
export { Mailer } from "./mailer";
export type { MailTransport } from "./transport";
export { SendEmailTransport } from "./transports/send-email";
export { LogTransport, type LoggedMail } from "./transports/log";
export { MemoryTransport, MailAssertionError } from "./transports/memory";
export { sendMailJob } from "./job";
export { mailProvider } from "./provider";
export { mailModule } from "./module";
export { MAILER } from "./tokens";
