import { csrfField, hashPassword, login, verifyPassword, type RequestContext } from "stratus";
import { html, type Template } from "stratus/html";
import type { User } from "../db/schema";
import { back, check, field, formError, readForm, redirect } from "./forms";
import { authPage } from "./layout";
import { signOutEverywhere } from "./password-reset";
import { changePasswordForm } from "./schemas";
import { users } from "./services";
import { tokensSection } from "./tokens-section";

/** GET /account (behind auth()). */
export function showAccount(c: RequestContext) {
  const user = c.user!;
  return authPage(c, "Your account", html`<section id="profile"><dl>
<dt>Name</dt><dd id="account-name">${user.name}</dd>
<dt>Email</dt><dd id="account-email">${user.email}</dd>
<dt>Email verified</dt><dd id="account-verified">${user.emailVerifiedAt ? html`yes, <time datetime="${user.emailVerifiedAt.toISOString()}">${user.emailVerifiedAt.toISOString().slice(0, 10)}</time>` : "not yet"}</dd>
</dl>
${user.emailVerifiedAt ? "" : html`<form method="post" action="/email/verification-notification">${csrfField(c)}<button type="submit">Send the verification link again</button></form>`}
</section>
${passwordSection(c, user)}
<!-- tokens section (API tokens, issue 15 "auth-api") -->
${tokensSection(c)}
<section id="sign-out"><form method="post" action="/logout">${csrfField(c)}<button type="submit">Sign out</button></form></section>`);
}

function passwordSection(c: RequestContext, user: User): Template {
  if (!user.passwordHash) return html`<section id="password"><h2>Password</h2><p>You have no password: you sign in with GitHub or Google. To set a password, use <a href="/forgot-password">Forgot your password?</a></p></section>`;
  return html`<section id="password"><h2>Change password</h2>
<form method="post" action="/account/password" novalidate>${csrfField(c)}
${formError(c)}
${field(c, "current_password", "Current password", "password", "current-password")}
${field(c, "password", "New password", "password", "new-password")}
${field(c, "password_confirmation", "Confirm new password", "password", "new-password")}
<p><button type="submit">Change password</button></p></form></section>`;
}

/** POST /account/password: checks the current password, stores the new one, and ends the user's other sign-ins. */
export async function changePassword(c: RequestContext): Promise<Response> {
  const user = c.user!;
  const input = await readForm(c);
  const form = check(changePasswordForm, input);
  if (!form.ok) return back(c, "/account", input, form.errors);
  if (!user.passwordHash || !(await verifyPassword(form.value.current_password, user.passwordHash))) return back(c, "/account", input, { current_password: "This is not your current password." });
  await users(c).update(user.id, { passwordHash: await hashPassword(form.value.password) });
  await signOutEverywhere(c, user.id);
  await login(c, user.id);
  c.session.flash("status", "Your password has been changed; other devices are signed out.");
  return redirect("/account");
}
