import type { RequestContext } from "stratus";
import { html } from "stratus/html";
import { MAILER } from "stratus/mail";

/**
 * Links are built on APP_URL, never on the request's Host header: a forged
 * Host would otherwise put an attacker's domain into a reset link (reset poisoning).
 */
function link(c: RequestContext, path: string): string {
  return new URL(path, c.config.app.url).toString();
}

export async function sendVerification(c: RequestContext, to: { name: string; email: string }, token: string): Promise<void> {
  const url = link(c, `/verify-email/${token}`);
  await c.resolve(MAILER).queue({
    to,
    subject: "Verify your email address",
    html: html`<p>Hello ${to.name},</p><p>Confirm that this is your address by opening this link:</p><p><a href="${url}">Verify my email address</a></p><p>The link works once, for ${Math.round(c.config.login.tokens.verifyMinutes / 60)} hours.</p>`,
  });
}

export async function sendPasswordReset(c: RequestContext, to: { name: string; email: string }, token: string): Promise<void> {
  const url = link(c, `/reset-password/${token}`);
  await c.resolve(MAILER).queue({
    to,
    subject: "Reset your password",
    html: html`<p>Hello ${to.name},</p><p>Someone asked to reset the password of your account. If it was you, open this link:</p><p><a href="${url}">Choose a new password</a></p><p>The link works once, for ${c.config.login.tokens.resetMinutes} minutes. If you did not ask, ignore this mail: your password stays as it is.</p>`,
  });
}
