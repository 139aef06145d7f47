import { renderToString } from "../templating/html";
import type { Address, Mail, RenderedMail } from "./message";

export class InvalidMailError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidMailError";
  }
}

// One @, no spaces or angle brackets, a dot in the domain: enough to refuse typos and header injection.
const EMAIL = /^[^\s@<>"(),;:]+@[^\s@<>"(),;:]+\.[^\s@<>"(),;:]+$/;

export function normaliseAddress(address: Address): { name: string; email: string } {
  const a = typeof address === "string" ? { name: "", email: address } : address;
  const email = a.email.trim();
  if (!EMAIL.test(email)) throw new InvalidMailError(`"${email}" is not an email address.`);
  if (/[\r\n]/.test(a.name)) throw new InvalidMailError("An address name may not contain line breaks.");
  return { name: a.name, email };
}

export function renderMail(mail: Mail, defaultFrom: Address): RenderedMail {
  if (/[\r\n]/.test(mail.subject)) throw new InvalidMailError("A subject may not contain line breaks.");
  const to = (Array.isArray(mail.to) ? mail.to : [mail.to]).map(normaliseAddress);
  if (to.length === 0) throw new InvalidMailError("A mail needs at least one recipient.");
  const html = renderToString(mail.html);
  return {
    from: normaliseAddress(mail.from ?? defaultFrom),
    to,
    cc: (mail.cc ?? []).map(normaliseAddress),
    bcc: (mail.bcc ?? []).map(normaliseAddress),
    ...(mail.replyTo ? { replyTo: normaliseAddress(mail.replyTo) } : {}),
    subject: mail.subject,
    html,
    text: mail.text ?? htmlToText(html),
  };
}

/** A readable plain-text part from the HTML: links keep their URL, tags go, entities are decoded. */
export function htmlToText(html: string): string {
  return html
    .replace(/<a\s[^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi, "$2 ($1)")
    .replace(/<(br|\/p|\/div|\/h[1-6]|\/li|\/tr)\s*\/?>/gi, "\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&")
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
