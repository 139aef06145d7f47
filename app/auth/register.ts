import { csrfField, hashPassword, login, type RequestContext } from "stratus";
import { html } from "stratus/html";
import { back, check, field, formError, readForm, redirect } from "./forms";
import { authPage } from "./layout";
import { registerForm } from "./schemas";
import { mailVerification, users } from "./services";
import { oauthLinks } from "./oauth/routes";

export function showRegister(c: RequestContext) {
  return authPage(c, "Create an account", html`<form method="post" action="/register" novalidate>${csrfField(c)}
${formError(c)}
${field(c, "name", "Name", "text", "name")}
${field(c, "email", "Email", "email", "email")}
${field(c, "password", "Password", "password", "new-password")}
${field(c, "password_confirmation", "Confirm password", "password", "new-password")}
<p><button type="submit">Register</button></p></form>
<p>Already registered? <a href="/login">Sign in</a>.</p>${oauthLinks(c)}`);
}

export async function register(c: RequestContext): Promise<Response> {
  const input = await readForm(c);
  const form = check(registerForm, input);
  if (!form.ok) return back(c, "/register", input, form.errors);
  const repo = users(c);
  if (await repo.findByEmail(form.value.email)) return back(c, "/register", input, { email: "This email address is already registered. Sign in, or reset your password." });
  const user = await repo.create({ name: form.value.name, email: form.value.email, passwordHash: await hashPassword(form.value.password) });
  await mailVerification(c, user);
  await login(c, user.id);
  c.session.flash("status", `Welcome, ${user.name}. We sent a link to ${user.email}: open it to verify your address.`);
  return redirect("/account");
}

/** "Sign in with GitHub" when config/oauth.ts has a client. */
