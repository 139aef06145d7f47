import type { RequestContext } from "stratus";
import { html } from "stratus/html";
import { redirect } from "./forms";
import { authPage } from "./layout";
import { mailVerification, singleUseTokens, users } from "./services";

/** GET /verify-email/:token: the link in the mail. It proves the address by itself, so no sign-in is needed. */
export async function verifyEmail(c: RequestContext) {
  const used = await singleUseTokens(c).consume("email-verify", c.params.token!);
  if (used.status !== "valid") {
    const why = used.status === "expired" ? "This verification link has expired." : "This verification link is not valid: it was already used, or it is not one we sent.";
    return authPage(c, "Verify your email address", html`<p class="error" role="alert">${why}</p><p>Sign in and ask for a new link from your <a href="/account">account</a>.</p>`, used.status === "expired" ? 410 : 404);
  }
  await users(c).update(used.userId, { emailVerifiedAt: new Date() });
  c.session.flash("status", "Your email address is verified.");
  return redirect("/account");
}

/** POST /email/verification-notification: a new link for the signed-in user. */
export async function resendVerification(c: RequestContext): Promise<Response> {
  const user = c.user!;
  if (user.emailVerifiedAt === null) await mailVerification(c, user);
  c.session.flash("status", user.emailVerifiedAt === null ? `We sent a new verification link to ${user.email}.` : "Your email address is already verified.");
  return redirect("/account");
}
