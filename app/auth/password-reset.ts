import { csrfField, D1SessionStore, hashPassword, RememberTokens, authDatabase, throttle, tooManyAttempts, type RequestContext } from "stratus";
import { html } from "stratus/html";
import { back, check, field, formError, readForm, redirect } from "./forms";
import { authPage } from "./layout";
import { sendPasswordReset } from "./mails";
import { forgotForm, resetForm } from "./schemas";
import { singleUseTokens, users } from "./services";

/** Shown for every well-formed request, whether or not the address has an account. */
export const RESET_SENT = "If an account exists for that address, we have sent it a link to reset the password.";

export function showForgot(c: RequestContext) {
  return authPage(c, "Forgot your password?", html`<p>Enter your email address and we will send you a link to choose a new password.</p>
<form method="post" action="/forgot-password" novalidate>${csrfField(c)}
${field(c, "email", "Email", "email", "email")}
<p><button type="submit">Send the link</button></p></form>`);
}

export async function submitForgot(c: RequestContext): Promise<Response> {
  const input = await readForm(c);
  const form = check(forgotForm, input);
  const wait = await throttle(c, "reset", form.ok ? form.value.email : input.email);
  if (wait !== undefined) return tooManyAttempts(c, wait);
  if (!form.ok) return back(c, "/forgot-password", input, form.errors);
  // The lookup, the token and the mail happen after the response, so a known address answers no slower than an unknown one.
  c.ctx.waitUntil(issueReset(c, form.value.email).catch((error: unknown) => c.log.error("password reset mail failed", { error })));
  c.session.flash("status", RESET_SENT);
  return redirect("/forgot-password");
}

async function issueReset(c: RequestContext, email: string): Promise<void> {
  const user = await users(c).findByEmail(email);
  if (!user) return;
  const token = await singleUseTokens(c).issue("password-reset", user.id, c.config.login.tokens.resetMinutes * 60_000);
  await sendPasswordReset(c, { name: user.name, email: user.email }, token);
}

function deadLink(c: RequestContext, status: "expired" | "invalid") {
  const why = status === "expired" ? "This password reset link has expired." : "This password reset link is not valid: it was already used, or it is not one we sent.";
  return authPage(c, "Reset your password", html`<p class="error" role="alert">${why}</p><p><a href="/forgot-password">Ask for a new link</a>.</p>`, status === "expired" ? 410 : 404);
}

export async function showReset(c: RequestContext) {
  const token = c.params.token!;
  const found = await singleUseTokens(c).check("password-reset", token);
  if (found.status !== "valid") return deadLink(c, found.status);
  return authPage(c, "Choose a new password", html`<form method="post" action="/reset-password/${token}" novalidate>${csrfField(c)}
${formError(c)}
${field(c, "password", "New password", "password", "new-password")}
${field(c, "password_confirmation", "Confirm new password", "password", "new-password")}
<p><button type="submit">Reset password</button></p></form>`);
}

export async function submitReset(c: RequestContext) {
  const token = c.params.token!;
  const input = await readForm(c);
  const form = check(resetForm, input);
  // A typo in the confirmation keeps the link usable; only a valid form uses it up.
  if (!form.ok) return back(c, `/reset-password/${encodeURIComponent(token)}`, input, form.errors);
  const used = await singleUseTokens(c).consume("password-reset", token);
  if (used.status !== "valid") return deadLink(c, used.status);
  const userId = used.userId;
  await users(c).update(userId, { passwordHash: await hashPassword(form.value.password) });
  await signOutEverywhere(c, userId);
  c.session.flash("status", "Your password has been reset. Sign in with the new one.");
  return redirect("/login");
}

/** After a password change: every remember-me token and (with the d1 driver) every server-side session of the user end. */
export async function signOutEverywhere(c: RequestContext, userId: string): Promise<void> {
  await new RememberTokens(authDatabase(c)).revokeUser(userId);
  if (c.config.session.driver === "d1") await new D1SessionStore(c.env.DB).destroyForUser(userId);
}
