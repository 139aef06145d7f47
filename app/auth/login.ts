import { csrfField, hashPassword, login, logout, needsRehash, throttle, tooManyAttempts, verifyPassword, type RequestContext } from "stratus";
import { html } from "stratus/html";
import { back, check, field, formError, readForm, redirect } from "./forms";
import { intendedUrl, keepIntended } from "./intended";
import { authPage } from "./layout";
import { oauthLinks } from "./oauth/routes";
import { loginForm } from "./schemas";
import { users } from "./services";

/** The same words whether the email is unknown or the password wrong: no account enumeration. */
export const BAD_CREDENTIALS = "These credentials do not match our records.";

let dummyHash: Promise<string> | undefined;
/** Verified against when the email is unknown, so both failures cost one PBKDF2 run (no timing difference). */
function dummy(): Promise<string> {
  return (dummyHash ??= hashPassword(crypto.randomUUID()));
}

export function showLogin(c: RequestContext) {
  keepIntended(c);
  return authPage(c, "Sign in", html`<form method="post" action="/login" novalidate>${csrfField(c)}
${formError(c)}
${field(c, "email", "Email", "email", "username")}
${field(c, "password", "Password", "password", "current-password")}
<p><label><input type="checkbox" name="remember" value="1" ?checked=${c.session.old("remember", "") !== ""}> Remember me</label></p>
<p><button type="submit">Sign in</button></p></form>
<p><a href="/forgot-password">Forgot your password?</a> · <a href="/register">Create an account</a></p>${oauthLinks(c)}`);
}

export async function submitLogin(c: RequestContext): Promise<Response> {
  const input = await readForm(c);
  const form = check(loginForm, input);
  const wait = await throttle(c, "login", form.ok ? form.value.email : input.email);
  if (wait !== undefined) return tooManyAttempts(c, wait);
  if (!form.ok) return back(c, "/login", input, form.errors);
  const repo = users(c);
  const user = await repo.findByEmail(form.value.email);
  const ok = await verifyPassword(form.value.password, user?.passwordHash ?? (await dummy()));
  if (!user || !user.passwordHash || !ok) return back(c, "/login", input, { form: BAD_CREDENTIALS });
  // Parameters changed since this hash was made (more iterations, say): store a fresh one now that the password is known.
  if (needsRehash(user.passwordHash)) await repo.update(user.id, { passwordHash: await hashPassword(form.value.password) });
  const target = intendedUrl(c);
  await login(c, user.id, { remember: form.value.remember !== undefined });
  return redirect(target);
}

export async function submitLogout(c: RequestContext): Promise<Response> {
  await logout(c);
  c.session.flash("status", "You are signed out.");
  return redirect("/login");
}
